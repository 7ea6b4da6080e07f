/**
 * Hives (issue 21): the hives the active pseudonym made or joined on this device (listHives, newest first), those
 * listed on its home hub, a field to open a hive by its link, and the form to make one.
 */
import type { PseudonymSummary } from '../../../workers/api/api-types.ts';
import { useCore } from '../core/use-core.ts';
import { describeError } from '../core/error-text.ts';
import { useCoreQuery } from '../core/use-core-query.ts';
import { hiveHref } from '../nav/route.ts';
import { LateSpinner } from '../shell/LateSpinner.tsx';
import { formatRelativeTime } from '../timeline/relative-time.ts';
import { CreateHive } from './CreateHive.tsx';
import { ListedHives } from './ListedHives.tsx';
import { OpenHiveLink } from './OpenHiveLink.tsx';
import '../styles/hives.css';

export default function HivesScreen({ pseudonym }: { readonly pseudonym: PseudonymSummary }) {
  const core = useCore();
  const me = pseudonym.id;
  const list = useCoreQuery(
    `hives:${me}`,
    () => core.listHives(me),
    // A hive made on another device arrives with the private state.
    (c) => c.kind === 'pseudonyms' || (c.kind === 'private' && c.pseudonym === me),
  );
  return (
    <section className="screen" aria-labelledby="hives-title">
      <h1 id="hives-title" className="screen-title">
        Hives
      </h1>
      <p className="field-hint">
        Communities of posts, comments and votes from many people and hubs, moderated in the open: every decision is
        signed and listed in the hive’s public log.
      </p>
      <section aria-labelledby="your-hives" className="hive-section">
        <h2 id="your-hives" className="section-title">
          Your hives
        </h2>
        {list.error !== undefined && list.data === undefined && (
          <p className="message message-error" role="alert">
            Could not read your hives: {describeError('load', list.error)}
          </p>
        )}
        {list.data === undefined && list.error === undefined && (
          <p className="screen-message">
            <LateSpinner /> Reading your hives…
          </p>
        )}
        {list.data?.length === 0 && (
          <p className="field-hint" data-testid="hives-empty">
            You have made or joined no hive yet. Make one below, or open one by its link.
          </p>
        )}
        {list.data && list.data.length > 0 && (
          <ul className="hive-list" aria-label="Your hives">
            {list.data.map((h) => (
              <li key={h.hive} className="hive-list-item">
                <a href={hiveHref(h)}>
                  <bdi>{h.name ?? `Hive ${h.hive.slice(0, 8)}…`}</bdi>
                </a>
                <span className="hive-meta">
                  {h.owned ? ' · yours' : h.left ? ' · left' : ' · joined'}
                  {' · since '}
                  <time dateTime={new Date(h.since).toISOString()}>{formatRelativeTime(h.since, Date.now())}</time>
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>
      <ListedHives me={me} />
      <OpenHiveLink />
      <CreateHive pseudonym={pseudonym} />
    </section>
  );
}
