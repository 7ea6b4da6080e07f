/** "Reposted by …": one line however many followed feeds reposted the post. */
import type { PseudonymId } from '../../protocol/ids.ts';
import { shortFingerprint } from '../identity/pseudonym-label.ts';
import { profileHref } from '../nav/route.ts';
import { Icon } from '../shell/Icon.tsx';
import { useKnownHandles } from '../timeline/known-handles.ts';
import { usePostEnv } from './post-env.ts';

export function RepostedBy({ ids }: { readonly ids: readonly PseudonymId[] }) {
  const { viewer } = usePostEnv();
  const handles = useKnownHandles(viewer);
  const name = (id: PseudonymId) => (id === viewer ? 'you' : (handles.byId.get(id) ?? shortFingerprint(id)));
  const [first, ...rest] = ids;
  if (!first) return null;
  return (
    <p className="post-repost" data-testid="reposted-by">
      <Icon name="repost" size={14} />
      Reposted by <a href={profileHref(first)}>{name(first)}</a>
      {rest.length > 0 && ` and ${rest.length} more`}
    </p>
  );
}
