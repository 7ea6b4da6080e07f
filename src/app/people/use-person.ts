/**
 * A person as `viewer` knows them, for places that have only an id (a
 * reposter, a muted feed): their published name and the handle `viewer`
 * knows. Read with getContact, two key reads, not findProfile (which counts a
 * whole feed), since a timeline may show many at once; read again when that
 * feed's profile changes or the viewer's timeline does (a followed feed's
 * rename arrives as a timeline change).
 */
import type { PseudonymId } from '../../protocol/ids.ts';
import { useCore } from '../core/use-core.ts';
import { useCoreQuery } from '../core/use-core-query.ts';
import type { Person } from './PersonLabel.tsx';

export function usePerson(viewer: PseudonymId, id: PseudonymId): Person {
  const core = useCore();
  const { data } = useCoreQuery(
    `person:${viewer}:${id}`,
    () => core.getContact(viewer, id),
    (c) => (c.kind === 'profile' && c.pseudonym === id) || (c.kind === 'timeline' && c.pseudonym === viewer),
  );
  return { id, name: data?.name, handle: data?.handle };
}
