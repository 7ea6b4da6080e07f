/**
 * Whether this pseudonym is listed in its hubs' directory: off until chosen.
 * Kept in its private state (its other devices agree); at the next private
 * sync its hubs get a signed listing (handle, name, topics, the start of the
 * bio), or an unlisting that replaces it once turned off.
 */
import { useEffect, useId, useState } from 'react';
import type { PseudonymSummary, Result } from '../../../workers/api/api-types.ts';
import { useCore } from '../core/use-core.ts';
import { runAction } from '../post/run-action.ts';
import { usePrivateSettings } from '../privacy/use-private-settings.ts';

export function DirectorySection({ pseudonym }: { readonly pseudonym: PseudonymSummary }) {
  const core = useCore();
  const { data } = usePrivateSettings(pseudonym.id);
  const [note, setNote] = useState<string>();
  const ids = useId();
  const [listed, chooseListed] = useShownChoice(data?.listing === 'listed');
  const [searchable, chooseSearchable] = useShownChoice(data?.searchable === true);

  async function toggle(on: boolean) {
    const result = await chooseListed(on, () => core.setDiscoverable(pseudonym.id, on));
    setNote(
      !result.ok
        ? result.text
        : on
          ? 'Listed: your hubs get your card within seconds.'
          : 'Taken out: your hubs replace your card with an unlisting within seconds.',
    );
  }

  async function toggleSearch(on: boolean) {
    const result = await chooseSearchable(on, () => core.setSearchable(pseudonym.id, on));
    setNote(!result.ok ? result.text : on ? 'Found by words too, once your hubs have it.' : 'Found by topic only.');
  }

  return (
    <section className="settings-section card" aria-labelledby={`${ids}-title`} data-testid="directory-section">
      <h2 id={`${ids}-title`}>Directory</h2>
      <label className="checkbox">
        <input
          type="checkbox"
          checked={listed}
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
      <label className="checkbox">
        <input
          type="checkbox"
          checked={searchable}
          disabled={!data || !listed}
          aria-describedby={`${ids}-search-hint`}
          onChange={(e) => void toggleSearch(e.target.checked)}
        />{' '}
        Also find me by name and words
      </label>
      <p id={`${ids}-search-hint`} className="field-hint">
        Off: people find you under your topics only. On: by words in your handle, name and bio too.
      </p>
      <output className="field-hint" aria-live="polite">
        {note}
      </output>
    </section>
  );
}

/**
 * A checkbox's state that shows a choice at once: the settings the worker answers with catch up, and win once
 * they do (or at once, when the change failed).
 */
function useShownChoice(held: boolean) {
  const [chosen, setChosen] = useState<boolean>();
  useEffect(() => {
    if (chosen !== undefined && held === chosen) setChosen(undefined);
  }, [held, chosen]);
  const choose = async <T,>(on: boolean, change: () => Promise<Result<T>>) => {
    setChosen(on);
    const result = await runAction(change);
    if (!result.ok) setChosen(undefined);
    return result;
  };
  return [chosen ?? held, choose] as const;
}
