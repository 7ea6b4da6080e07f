/** Reactions on a post: counts as toggle buttons (pressed when mine), and the picker to add one. */
import { useState } from 'react';
import type { TimelineItem } from '../../../workers/api/api-types.ts';
import { useCore } from '../core/use-core.ts';
import { EMOJI, EmojiPicker } from './EmojiPicker.tsx';
import { usePostEnv } from './post-env.ts';
import { runAction } from './run-action.ts';

const NAMES = new Map(EMOJI);

export function ReactionBar({
  item,
  onError,
}: {
  readonly item: TimelineItem;
  readonly onError: (text: string) => void;
}) {
  const core = useCore();
  const { viewer } = usePostEnv();
  const [busy, setBusy] = useState(false);
  const reactions = item.reactions ?? [];

  async function toggle(emoji: string, mine: boolean) {
    setBusy(true);
    const result = await runAction(() =>
      mine ? core.unreact(viewer, item.id, emoji) : core.react(viewer, item.id, emoji),
    );
    setBusy(false);
    if (!result.ok) onError(result.text);
  }

  return (
    <div className="reactions" data-testid="reactions">
      {reactions
        .filter((r) => r.count > 0)
        .map((r) => (
          <button
            key={r.emoji}
            type="button"
            className={`reaction${r.mine ? ' is-mine' : ''}`}
            aria-pressed={r.mine}
            aria-label={`${NAMES.get(r.emoji) ?? r.emoji}: ${r.count}`}
            data-testid="reaction"
            disabled={busy}
            onClick={() => void toggle(r.emoji, r.mine)}
          >
            <span aria-hidden="true">{r.emoji}</span> <span aria-hidden="true">{r.count}</span>
          </button>
        ))}
      <EmojiPicker
        onPick={(emoji) =>
          void toggle(
            emoji,
            reactions.some((r) => r.emoji === emoji && r.mine),
          )
        }
      />
    </div>
  );
}
