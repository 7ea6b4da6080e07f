/**
 * The home feed's lenses, each defined in words, and the share of each page
 * a person gives the topics lens (off by default: the home feed is then the
 * plain chronological timeline of whom it follows). Kept in the pseudonym's
 * private state, so its other devices agree.
 */
import { useId, useState } from 'react';
import type { PseudonymSummary } from '../../../workers/api/api-types.ts';
import { TOPICS_SHARES, TOPICS_SHARE_SETTING, topicsShareOf } from '../../protocol/lens-settings.ts';
import { useCore } from '../core/use-core.ts';
import { runAction } from '../post/run-action.ts';
import { usePrivateSettings } from '../privacy/use-private-settings.ts';

export function LensesSection({ pseudonym }: { readonly pseudonym: PseudonymSummary }) {
  const core = useCore();
  const { data } = usePrivateSettings(pseudonym.id);
  const [note, setNote] = useState<string>();
  const ids = useId();
  const share = data ? topicsShareOf(data.lens) : 0;

  async function choose(value: number) {
    const result = await runAction(() =>
      core.setLens(pseudonym.id, TOPICS_SHARE_SETTING, value === 0 ? undefined : value),
    );
    setNote(!result.ok ? result.text : value === 0 ? 'Topics lens off.' : `Topics lens: up to ${value}% of each page.`);
  }

  return (
    <section className="settings-section card" aria-labelledby={`${ids}-title`} data-testid="lenses-section">
      <h2 id={`${ids}-title`}>Lenses</h2>
      <p className="field-hint">
        Following: the posts of the people you follow, newest first. Nothing is ranked, and no lens reads likes, replies
        or views.
      </p>
      <label className="field">
        <span className="field-label">Topics lens</span>
        <select
          className="input"
          value={share}
          disabled={!data}
          aria-describedby={`${ids}-topics`}
          onChange={(e) => void choose(Number(e.target.value))}
        >
          {TOPICS_SHARES.map((value) => (
            <option key={value} value={value}>
              {value === 0 ? 'Off' : `Up to ${value}% of each page`}
            </option>
          ))}
        </select>
      </label>
      <p id={`${ids}-topics`} className="field-hint">
        Mixes in, by time, public posts carrying your profile’s topics from people listed under them in your hub’s
        directory whom you do not follow. Each says which lens brought it and why.
      </p>
      <output className="field-hint" aria-live="polite">
        {note}
      </output>
    </section>
  );
}
