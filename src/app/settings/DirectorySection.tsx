/**
 * Whether this pseudonym is listed in its hubs' directory: off until chosen.
 * Kept in its private state (its other devices agree); at the next private
 * sync its hubs get a signed listing (handle, name, topics, the start of the
 * bio), or an unlisting that replaces it once turned off.
 */
import { useEffect, useId, useState } from 'react';
import type { PseudonymSummary } from '../../../workers/api/api-types.ts';
import { useCore } from '../core/use-core.ts';
import { runAction } from '../post/run-action.ts';
import { usePrivateSettings } from '../privacy/use-private-settings.ts';

export function DirectorySection({ pseudonym }: { readonly pseudonym: PseudonymSummary }) {
  const core = useCore();
  const { data } = usePrivateSettings(pseudonym.id);
  const [note, setNote] = useState<string>();
  const ids = useId();
  const listed = data?.listing === 'listed';
  // The choice shows at once; the settings the worker answers with catch up (and win, once they do).
  const [chosen, setChosen] = useState<boolean>();
  useEffect(() => {
    if (chosen !== undefined && listed === chosen) setChosen(undefined);
  }, [listed, chosen]);

  async function toggle(on: boolean) {
    setChosen(on);
    const result = await runAction(() => core.setDiscoverable(pseudonym.id, on));
    if (!result.ok) setChosen(undefined);
    setNote(
      !result.ok
        ? result.text
        : on
          ? 'Listed: your hubs get your card within seconds.'
          : 'Taken out: your hubs replace your card with an unlisting within seconds.',
    );
  }

  return (
    <section className="settings-section card" aria-labelledby={`${ids}-title`} data-testid="directory-section">
      <h2 id={`${ids}-title`}>Directory</h2>
      <label className="checkbox">
        <input
          type="checkbox"
          checked={chosen ?? listed}
          disabled={!data}
          aria-describedby={`${ids}-hint`}
          onChange={(e) => void toggle(e.target.checked)}
        />{' '}
        List me in the directory
      </label>
      <p id={`${ids}-hint`} className="field-hint">
        Your handle, name, topics and the start of your bio, signed, so that people can find you by topic on Discover.
        Anyone can read it. Off unless you turn it on; turning it off takes it out of every hub that keeps it.
      </p>
      <output className="field-hint" aria-live="polite">
        {note}
      </output>
    </section>
  );
}
