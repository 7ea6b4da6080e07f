/**
 * The mists a post links to, as cards under it (loaded only for a post that links one). A mist of a feed this
 * device holds shows as it is; another is a link to its page, which says why it cannot be read here.
 */
import type { PseudonymId } from '../../protocol/ids.ts';
import { useCore } from '../core/use-core.ts';
import { useCoreQuery } from '../core/use-core-query.ts';
import { mistHref } from '../nav/route.ts';
import { useViewer } from '../post/post-env.ts';
import { MistCard } from './MistCard.tsx';
import { type LinkedMist, mistLinksIn } from './mist-links.ts';
import '../styles/mists.css';

function LinkedMistCard({ viewer, mist }: { readonly viewer: PseudonymId; readonly mist: LinkedMist }) {
  const core = useCore();
  const { data } = useCoreQuery(
    `post-mist:${viewer}:${mist.author}:${mist.id}`,
    async () => {
      const found = await core.getMist(viewer, mist.author, mist.id);
      return found.ok ? found.value.view : null;
    },
    (c) => c.kind === 'timeline' && c.pseudonym === viewer,
  );
  if (data) return <MistCard viewer={viewer} view={data} />;
  return (
    <p className="mist-card" data-testid="mist-card">
      <a href={mistHref(mist.author, mist.id)}>A mist ({mist.id})</a>
    </p>
  );
}

export default function PostMists({ body }: { readonly body: string }) {
  const viewer = useViewer();
  if (!viewer) return null;
  return (
    <div className="post-mists">
      {mistLinksIn(body).map((mist) => (
        <LinkedMistCard key={`${mist.author}/${mist.id}`} viewer={viewer} mist={mist} />
      ))}
    </div>
  );
}
