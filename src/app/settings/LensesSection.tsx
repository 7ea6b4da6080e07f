/**
 * The home feed's lenses, each defined in words, and the share of each page
 * a person gives each lens (all off by default: the home feed is then the
 * plain chronological timeline of whom it follows). Kept in the pseudonym's
 * private state, so its other devices agree.
 */
import { useId } from 'react';
import type { PseudonymSummary } from '../../../workers/api/api-types.ts';
import {
  LENS_NAMES,
  LENS_SHARES,
  LENS_WORDS,
  type LensName,
  lensShareOf,
  shareSetting,
} from '../../protocol/lens-settings.ts';
import { useCore } from '../core/use-core.ts';
import { runAction } from '../post/run-action.ts';
import { usePrivateSettings } from '../privacy/use-private-settings.ts';
import { useLatestNote } from '../shell/latest-note.ts';

/** A lens's name as the screen says it: `Topics lens`. */
const labelOf = (name: LensName) => `${name[0]!.toUpperCase()}${name.slice(1)} lens`;

export function LensesSection({ pseudonym }: { readonly pseudonym: PseudonymSummary }) {
  const core = useCore();
  const { data } = usePrivateSettings(pseudonym.id);
  const [note, say] = useLatestNote();
  const ids = useId();

  function choose(name: LensName, value: number) {
    const label = labelOf(name);
    return say(
      runAction(() => core.setLens(pseudonym.id, shareSetting(name), value === 0 ? undefined : value)).then((result) =>
        !result.ok ? result.text : value === 0 ? `${label} off.` : `${label}: up to ${value}% of each page.`,
      ),
    );
  }

  return (
    <section className="settings-section card" aria-labelledby={`${ids}-title`} data-testid="lenses-section">
      <h2 id={`${ids}-title`}>Lenses</h2>
      <p className="field-hint">
        Following: the posts of the people you follow, newest first. Each lens below may mix in, by time, up to its
        share of each page; each post it brings says which lens brought it and why. Nothing is ranked, and no lens reads
        likes, replies or views.
      </p>
      {LENS_NAMES.map((name) => (
        <div key={name}>
          <label className="field">
            <span className="field-label">{labelOf(name)}</span>
            <select
              className="input"
              value={data ? lensShareOf(data.lens, name) : 0}
              disabled={!data}
              aria-describedby={`${ids}-${name}`}
              onChange={(e) => void choose(name, Number(e.target.value))}
            >
              {LENS_SHARES.map((value) => (
                <option key={value} value={value}>
                  {value === 0 ? 'Off' : `Up to ${value}% of each page`}
                </option>
              ))}
            </select>
          </label>
          <p id={`${ids}-${name}`} className="field-hint">
            Mixes in {LENS_WORDS[name]}.
          </p>
        </div>
      ))}
      <output className="field-hint" aria-live="polite">
        {note}
      </output>
    </section>
  );
}
