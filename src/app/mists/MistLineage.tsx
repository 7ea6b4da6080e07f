/** Where a fork comes from (its chain, nearest first, as the worker checked it) and the forks this device has seen. */
import type { MistDetail } from '../../../workers/api/mists-types.ts';
import type { PseudonymId } from '../../protocol/ids.ts';
import { mistHref } from '../nav/route.ts';
import { PersonLabel } from '../people/PersonLabel.tsx';
import { usePerson } from '../people/use-person.ts';

function Who({ viewer, id, handle }: { viewer: PseudonymId; id: PseudonymId; handle: string | null }) {
  const person = usePerson(viewer, id);
  return <PersonLabel person={{ ...person, handle: person.handle ?? handle ?? undefined }} />;
}

export function MistLineage({ viewer, detail }: { readonly viewer: PseudonymId; readonly detail: MistDetail }) {
  const { forkChain, forks } = detail;
  if (forkChain.length === 0 && forks.length === 0) return null;
  return (
    <div className="mist-lineage">
      {forkChain.length > 0 && (
        <div data-testid="fork-chain">
          <p className="field-label">Forked from</p>
          <ol>
            {forkChain.map((link) => (
              <li key={`${link.author}/${link.mist}`}>
                <a href={mistHref(link.author, link.mist)}>mist {link.mist}</a> by{' '}
                <Who viewer={viewer} id={link.author} handle={link.handle} />
                {link.depth > 0 && ` (itself a fork, depth ${link.depth})`}
                {!link.held && ' (not on this device: follow its author to read it)'}
              </li>
            ))}
          </ol>
        </div>
      )}
      {forks.length > 0 && (
        <div data-testid="forks-seen">
          <p className="field-label">Forks you have seen ({forks.length})</p>
          <ul>
            {forks.map((fork) => (
              <li key={`${fork.author}/${fork.id}`}>
                <a href={mistHref(fork.author, fork.id)}>mist {fork.id}</a> by{' '}
                <Who viewer={viewer} id={fork.author} handle={fork.handle} />
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
