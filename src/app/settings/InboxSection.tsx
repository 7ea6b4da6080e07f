/**
 * Who can reach this pseudonym's inbox (messages, replies, mentions, follows):
 * the mode, and the people an allowlist names. Kept in its private state
 * (so its other devices agree) and published to its hubs as a signed policy
 * at the next private sync, where they refuse the others before storing
 * anything; this device drops them too.
 */
import { useEffect, useId, useState } from 'react';
import type { PseudonymSummary } from '../../../workers/api/api-types.ts';
import type { InboxMode } from '../../protocol/inbox-policy.ts';
import type { PseudonymId } from '../../protocol/ids.ts';
import { useCore } from '../core/use-core.ts';
import { runAction } from '../post/run-action.ts';
import { PeopleList } from '../privacy/PeopleList.tsx';
import { usePrivateSettings } from '../privacy/use-private-settings.ts';

/**
 * The modes offered, in words. `public` is left out: hubs and this app treat it as `open` today, and a choice that
 * changes nothing would mislead.
 */
const MODES: readonly [InboxMode, string, string][] = [
  ['open', 'Anyone', 'Anyone can message you and be told of your replies to them.'],
  ['closed', 'People you follow', 'Only people you follow publicly. Everyone else is refused by your hubs.'],
  ['allowlist', 'People you name', 'Only the people listed below. Add someone from their profile.'],
];

export function InboxSection({ pseudonym }: { readonly pseudonym: PseudonymSummary }) {
  const core = useCore();
  const viewer = pseudonym.id;
  const { data } = usePrivateSettings(viewer);
  const [note, setNote] = useState<string>();
  // The choice shows at once; the settings the worker answers with catch up (and win, once they do).
  const [chosen, setChosen] = useState<InboxMode>();
  const ids = useId();
  const held = data?.inboxMode === 'public' ? 'open' : data?.inboxMode;
  useEffect(() => {
    if (chosen !== undefined && held === chosen) setChosen(undefined);
  }, [held, chosen]);

  async function choose(mode: InboxMode, label: string) {
    setChosen(mode);
    const result = await runAction(() => core.setInboxMode(viewer, mode));
    if (!result.ok) setChosen(undefined);
    setNote(
      result.ok ? `Your inbox now takes: ${label.toLowerCase()}. Your hubs learn it within seconds.` : result.text,
    );
  }
  const remove = (value: string) =>
    void runAction(() => core.setInboxAllow(viewer, value as PseudonymId, false)).then((r) =>
      setNote(r.ok ? 'Removed from your list' : r.text),
    );

  return (
    <section className="settings-section card" aria-labelledby={`${ids}-title`} data-testid="inbox-section">
      <h2 id={`${ids}-title`}>Who can reach you</h2>
      <fieldset className="radio-group" disabled={!data}>
        <legend className="field-label">Messages and notifications from</legend>
        {MODES.map(([mode, label, hint]) => (
          <label key={mode} className="checkbox">
            <input
              type="radio"
              name={`${ids}-mode`}
              value={mode}
              checked={(chosen ?? held) === mode}
              aria-describedby={`${ids}-${mode}`}
              onChange={() => void choose(mode, label)}
            />{' '}
            {label}
            <span id={`${ids}-${mode}`} className="field-hint">
              {' '}
              {hint}
            </span>
          </label>
        ))}
      </fieldset>
      {data?.inboxMode === 'allowlist' && (
        <PeopleList title="People you named" viewer={viewer} entries={data.inboxAllow} action="Remove" undo={remove} />
      )}
      <p className="field-hint">
        What your inbox already holds stays. The rule is public on your hubs; the people you follow or name are listed
        there only as salted hashes.
      </p>
      <p className="field-hint" role="status">
        {note}
      </p>
    </section>
  );
}
