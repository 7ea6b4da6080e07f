/**
 * Muted words, tags and feeds, and blocked feeds, each with undo; and a field
 * to mute a word, phrase or #tag. These are private to the pseudonym and its
 * own devices (sealed on its hubs).
 */
import { type FormEvent, useId, useState } from 'react';
import type { PseudonymSummary } from '../../../workers/api/api-types.ts';
import type { ListedEntry, MuteKind } from '../../../workers/private/types.ts';
import type { PseudonymId } from '../../protocol/ids.ts';
import { useCore } from '../core/use-core.ts';
import { describeError } from '../core/error-text.ts';
import { runAction } from '../post/run-action.ts';
import { PeopleList, type Undo } from '../privacy/PeopleList.tsx';
import { usePrivateSettings } from '../privacy/use-private-settings.ts';
import { useLatestNote } from '../shell/latest-note.ts';

export function PrivacySection({ pseudonym }: { readonly pseudonym: PseudonymSummary }) {
  const core = useCore();
  const viewer = pseudonym.id;
  const { data, error } = usePrivateSettings(viewer);
  const [text, setText] = useState('');
  const [note, say] = useLatestNote();
  const ids = useId();

  async function run(call: Parameters<typeof runAction>[0], done: string) {
    const result = runAction(call);
    await say(result.then((r) => (r.ok ? done : r.text)));
    return (await result).ok;
  }

  async function add(event: FormEvent) {
    event.preventDefault();
    const value = text.trim();
    if (!value) return;
    const kind: MuteKind = value.startsWith('#') ? 'tag' : 'word';
    if (await run(() => core.setMute(viewer, kind, value, true), `Muted ${value}`)) setText('');
  }

  const unmute =
    (kind: MuteKind, shown: (v: string) => string): Undo =>
    (value) =>
      void run(() => core.setMute(viewer, kind, value, false), `Unmuted ${shown(value)}`);
  const unblock: Undo = (value) => void run(() => core.setBlock(viewer, value as PseudonymId, false), 'Unblocked');

  return (
    <section className="settings-section card" aria-labelledby={`${ids}-title`} data-testid="privacy-section">
      <h2 id={`${ids}-title`}>Muted and blocked</h2>
      <p className="field-hint">
        Only you and your own devices know these. Muted posts are hidden, not deleted: unmuting brings them back.
        Blocked feeds are also never fetched.
      </p>
      {error !== undefined && (
        <p className="message message-error" role="alert">
          Could not read your mutes: {describeError('load', error)}
        </p>
      )}
      {data?.syncProblem && (
        <p className="message message-error" role="alert">
          {data.syncProblem}
        </p>
      )}
      <form className="settings-form" onSubmit={(e) => void add(e)} aria-label="Mute a word or tag">
        <label className="field">
          <span className="field-label">Mute a word, phrase or #tag</span>
          <input
            className="input"
            value={text}
            onChange={(e) => setText(e.target.value)}
            placeholder="spoiler, #politics"
          />
        </label>
        <button type="submit" className="button button-secondary" disabled={text.trim() === ''}>
          Mute
        </button>
      </form>
      {data && (
        <>
          <EntryList title="Muted words" entries={data.mutedWords} action="Unmute" undo={unmute('word', (v) => v)} />
          <EntryList
            title="Muted tags"
            entries={data.mutedTags}
            action="Unmute"
            undo={unmute('tag', (v) => `#${v}`)}
            shown={(v) => `#${v}`}
          />
          <PeopleList
            title="Muted feeds"
            viewer={viewer}
            entries={data.mutedUsers}
            action="Unmute"
            undo={unmute('user', () => 'the feed')}
          />
          <PeopleList title="Blocked feeds" viewer={viewer} entries={data.blocked} action="Unblock" undo={unblock} />
        </>
      )}
      <p className="field-hint" role="status">
        {note}
      </p>
    </section>
  );
}

interface ListProps {
  readonly title: string;
  readonly entries: readonly ListedEntry[];
  readonly action: string;
  readonly undo: Undo;
  readonly shown?: (value: string) => string;
}

function EntryList({ title, entries, action, undo, shown = (v) => v }: ListProps) {
  const ids = useId();
  return (
    <div className="privacy-list">
      <h3 id={ids} className="settings-subtitle">
        {title}
      </h3>
      {entries.length === 0 ? (
        <p className="field-hint">None</p>
      ) : (
        <ul aria-labelledby={ids} className="privacy-entries">
          {entries.map((e) => (
            <li key={e.value} className="privacy-entry">
              <span>{shown(e.value)}</span>
              <button type="button" className="button button-small button-quiet" onClick={() => undo(e.value)}>
                {action}
                <span className="visually-hidden"> {shown(e.value)}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
