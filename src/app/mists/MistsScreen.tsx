/**
 * Mists (issue 20): files shared as permanent, verifiable artifacts. Yours (secret ones too), those of the
 * people you follow, or the public ones of people listed in your hub's directory (Explore), newest change first
 * (no ranking), filtered by type; and a form to share a file, picked or
 * dropped on it. The scope and type live in the route, so a filtered list is a link.
 */
import type { PseudonymSummary } from '../../../workers/api/api-types.ts';
import { ARTIFACT_TYPES } from '../../protocol/mist-types.ts';
import type { ArtifactType } from '../../protocol/mist-types.ts';
import { useCore } from '../core/use-core.ts';
import { describeError } from '../core/error-text.ts';
import { useCoreQuery } from '../core/use-core-query.ts';
import { type MistScope, routeHref } from '../nav/route.ts';
import { LateSpinner } from '../shell/LateSpinner.tsx';
import { MistCard } from './MistCard.tsx';
import { ShareMist } from './ShareMist.tsx';
import '../styles/mists.css';

const SCOPES: readonly (readonly [MistScope, string])[] = [
  ['following', 'Following'],
  ['mine', 'Yours'],
  ['explore', 'Explore'],
];

const EMPTY: Record<MistScope, string> = {
  following: 'No mists from you or the people you follow yet.',
  mine: 'You have shared no mists yet.',
  explore: 'No public mists from people listed in your hub’s directory yet.',
};

export default function MistsScreen({
  pseudonym,
  scope,
  type,
}: {
  readonly pseudonym: PseudonymSummary;
  readonly scope: MistScope;
  readonly type: ArtifactType | undefined;
}) {
  const core = useCore();
  const me = pseudonym.id;
  const list = useCoreQuery(
    `mists:${me}:${scope}:${type ?? ''}`,
    () => core.listMists(me, { scope, ...(type && { type }) }),
    (c) => c.kind === 'timeline' && c.pseudonym === me,
  );
  const go = (next: { scope?: MistScope; type?: ArtifactType | undefined }) => {
    const chosen = 'type' in next ? next.type : type;
    location.hash = routeHref({ name: 'mists', scope: next.scope ?? scope, ...(chosen && { type: chosen }) });
  };
  return (
    <section className="screen" aria-labelledby="mists-title">
      <h1 id="mists-title" className="screen-title">
        Mists
      </h1>
      <p className="field-hint">
        Files shared as permanent, signed artifacts: code, data, configs, schemas. Anyone can fork a public one.
      </p>
      <ShareMist pseudonym={pseudonym} />
      <div className="mists-filters">
        <nav aria-label="Whose mists" className="segmented">
          {SCOPES.map(([name, label]) => (
            <a
              key={name}
              href={routeHref({ name: 'mists', scope: name, ...(type && { type }) })}
              aria-current={scope === name ? 'page' : undefined}
            >
              {label}
            </a>
          ))}
        </nav>
        <label className="field field-inline">
          <span className="field-label">Type</span>
          <select
            className="input"
            value={type ?? ''}
            onChange={(e) => go({ type: (e.target.value || undefined) as ArtifactType | undefined })}
          >
            <option value="">Any type</option>
            {ARTIFACT_TYPES.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
        </label>
      </div>
      {list.error !== undefined && list.data === undefined && (
        <p className="message message-error" role="alert">
          Could not read mists: {describeError('load', list.error)}
        </p>
      )}
      {list.data === undefined && list.error === undefined && (
        <p className="screen-message">
          <LateSpinner /> Reading mists…
        </p>
      )}
      {list.data?.length === 0 && (
        <p className="screen-message" data-testid="mists-empty">
          {EMPTY[scope]}
          {type && ` (of type ${type})`}
        </p>
      )}
      {list.data && list.data.length > 0 && (
        <ul className="mist-list" aria-label="Mists">
          {list.data.map((view) => (
            <li key={`${view.author}/${view.id}`}>
              <MistCard viewer={me} view={view} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
