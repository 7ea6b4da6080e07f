/** A mist in a list or under a post: what it is, whose, its type, and when it last changed; opens its page. */
import type { MistView } from '../../../workers/api/mists-types.ts';
import type { PseudonymId } from '../../protocol/ids.ts';
import { mistHref } from '../nav/route.ts';
import { PersonLabel } from '../people/PersonLabel.tsx';
import { usePerson } from '../people/use-person.ts';
import { formatRelativeTime } from '../timeline/relative-time.ts';

/** "code · python", "dataset", ... */
export function kindOf(view: Pick<MistView, 'artifact' | 'language'>): string {
  return [view.artifact, view.language].filter(Boolean).join(' · ');
}

export function MistCard({ viewer, view }: { readonly viewer: PseudonymId; readonly view: MistView }) {
  const person = usePerson(viewer, view.author);
  const title = view.title ?? view.name;
  return (
    <article className="mist-card" aria-label={`Mist ${title}`} data-testid="mist-card">
      <h3 className="mist-card-title">
        <a href={mistHref(view.author, view.id)}>
          <bdi>{title}</bdi>
        </a>
      </h3>
      <p className="mist-card-meta">
        <PersonLabel person={{ ...person, handle: person.handle ?? view.handle ?? undefined }} />
        {view.title && (
          <>
            {' · '}
            <bdi className="mist-file-name">{view.name}</bdi>
          </>
        )}
        {' · '}
        <span data-testid="mist-kind">{kindOf(view)}</span>
        {' · '}
        <time dateTime={new Date(view.updated).toISOString()}>{formatRelativeTime(view.updated, Date.now())}</time>
        {view.versions > 1 && ` · ${view.versions} versions`}
        {view.forkOf && ' · fork'}
        {view.secret && <span className="mist-secret"> · secret (link only)</span>}
      </p>
      {view.description && (
        <p className="mist-card-description">
          <bdi>{view.description.length > 280 ? `${view.description.slice(0, 280)}…` : view.description}</bdi>
        </p>
      )}
    </article>
  );
}
