/** "Reposted by …": one line however many followed feeds reposted the post, the first named as a person. */
import type { PseudonymId } from '../../protocol/ids.ts';
import { profileHref } from '../nav/route.ts';
import { PersonLabel } from '../people/PersonLabel.tsx';
import { usePerson } from '../people/use-person.ts';
import { Icon } from '../shell/Icon.tsx';
import { useKnownHandles } from '../timeline/known-handles.ts';
import { usePostEnv } from './post-env.ts';

export function RepostedBy({ ids }: { readonly ids: readonly PseudonymId[] }) {
  const { viewer } = usePostEnv();
  const [first, ...rest] = ids;
  if (!first) return null;
  return (
    <p className="post-repost" data-testid="reposted-by">
      <Icon name="repost" size={14} />
      Reposted by <a href={profileHref(first)}>{first === viewer ? 'you' : <Reposter viewer={viewer} id={first} />}</a>
      {rest.length > 0 && ` and ${rest.length} more`}
    </p>
  );
}

/** A reposter is a followed feed: its profile is held, and the handle the timeline learned stands in until read. */
function Reposter({ viewer, id }: { readonly viewer: PseudonymId; readonly id: PseudonymId }) {
  const person = usePerson(viewer, id);
  const learned = useKnownHandles(viewer).byId.get(id);
  return <PersonLabel person={{ ...person, handle: person.handle ?? learned }} />;
}
