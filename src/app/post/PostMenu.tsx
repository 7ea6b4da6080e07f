/**
 * A post's "More actions" menu: mute or block its author, mute one of its
 * tags. A disclosure (arrow keys move, Escape closes and returns focus); the
 * post leaves the timeline at once, and Settings lists what was muted with
 * undo.
 */
import type { TimelineItem } from '../../../workers/api/api-types.ts';
import type { MuteKind } from '../../../workers/private/types.ts';
import { useCore } from '../core/use-core.ts';
import { Icon } from '../shell/Icon.tsx';
import { useDisclosure } from '../shell/use-disclosure.ts';
import { authorLabel } from './author-label.ts';
import { runAction } from './run-action.ts';

const LIST_STEPS = { ArrowDown: 1, ArrowUp: -1 };

export interface PostMenuProps {
  readonly item: TimelineItem;
  readonly viewer: TimelineItem['author'];
  /** `stay`: the note is an error, kept until the next. */
  readonly onNote: (text: string, stay?: boolean) => void;
}

export function PostMenu({ item, viewer, onNote }: PostMenuProps) {
  const core = useCore();
  const { open, setOpen, flip, keyDown, toggle, panel, id } = useDisclosure(LIST_STEPS);
  const who = item.authorName?.trim() || authorLabel(item);
  const own = item.author === viewer;

  async function mute(kind: MuteKind, value: string, words: string) {
    setOpen(false);
    const result = await runAction(() => core.setMute(viewer, kind, value, true));
    onNote(result.ok ? `${words}. Undo in Settings.` : result.text, !result.ok);
  }

  async function block() {
    setOpen(false);
    const result = await runAction(() => core.setBlock(viewer, item.author, true));
    onNote(result.ok ? `Blocked ${who}. Undo in Settings.` : result.text, !result.ok);
  }

  const entries: { label: string; run: () => void }[] = [
    ...(own
      ? []
      : [
          { label: `Mute ${who}`, run: () => void mute('user', item.author, `Muted ${who}`) },
          { label: `Block ${who}`, run: () => void block() },
        ]),
    ...(item.tags ?? []).map((tag) => ({ label: `Mute #${tag}`, run: () => void mute('tag', tag, `Muted #${tag}`) })),
  ];
  if (entries.length === 0) return null;

  return (
    <span className="post-menu">
      <button
        ref={toggle}
        type="button"
        className="button button-quiet button-icon"
        aria-label="More actions"
        title="More actions"
        aria-expanded={open}
        aria-controls={id}
        onClick={flip}
      >
        <Icon name="more" />
      </button>
      {open && (
        <fieldset ref={panel} id={id} className="post-menu-list" aria-label="More actions" onKeyDown={keyDown}>
          {entries.map((entry) => (
            <button key={entry.label} type="button" className="post-menu-item" onClick={entry.run}>
              {entry.label}
            </button>
          ))}
        </fieldset>
      )}
    </span>
  );
}
