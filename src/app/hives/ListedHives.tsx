/**
 * The hives listed in the directory of the viewer's home hub (listListedHives: each listing verified, people
 * left out), in the order the hub keeps them, never ranked. A listing only says where to look: opening one reads
 * and checks the hive itself.
 */
import type { PseudonymId } from '../../protocol/ids.ts';
import { useCore } from '../core/use-core.ts';
import { describeError, describeFailure } from '../core/error-text.ts';
import { useCoreQuery } from '../core/use-core-query.ts';
import { hiveHref } from '../nav/route.ts';
import { LateSpinner } from '../shell/LateSpinner.tsx';
import { HIVE_ERRORS } from './hive-errors.ts';

export function ListedHives({ me }: { readonly me: PseudonymId }) {
  const core = useCore();
  const listed = useCoreQuery(
    `listed-hives:${me}`,
    () => core.listListedHives(me),
    () => false,
  );
  const result = listed.data;
  return (
    <section aria-labelledby="listed-hives" className="hive-section">
      <h2 id="listed-hives" className="section-title">
        Listed on your hub
      </h2>
      {result === undefined && listed.error === undefined && (
        <p className="field-hint">
          <LateSpinner /> Reading your hub’s directory…
        </p>
      )}
      {listed.error !== undefined && result === undefined && (
        <p className="message message-error" role="alert">
          Could not read the directory: {describeError(HIVE_ERRORS, listed.error)}
        </p>
      )}
      {result && !result.ok && (
        <p className="message message-error" role="alert">
          Could not read the directory: {describeFailure(HIVE_ERRORS, result.error, result.message)}
        </p>
      )}
      {result?.ok && result.value.length === 0 && (
        <p className="field-hint" data-testid="listed-hives-empty">
          No hive is listed on your hub yet.
        </p>
      )}
      {result?.ok && result.value.length > 0 && (
        <ul className="hive-list" aria-label="Listed hives">
          {result.value.map((h) => (
            <li key={h.hive} className="hive-list-item">
              <a href={hiveHref(h)}>
                <bdi>{h.name ?? h.handle}</bdi>
              </a>
              <span className="hive-meta">
                {' · '}
                <bdi>{h.handle}</bdi>
              </span>
              {h.bio && <p className="hive-meta hive-text">{h.bio}</p>}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
