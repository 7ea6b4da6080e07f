/**
 * A person as `viewer` knows them, for places that have only an id (a
 * reposter, a muted feed): their published name and the handle `viewer`
 * knows, read from the core and read again when that feed's profile changes.
 */
import type { PseudonymId } from '../../protocol/ids.ts';
import { useCore } from '../core/use-core.ts';
import { useCoreQuery } from '../core/use-core-query.ts';
import type { Person } from './PersonLabel.tsx';

export function usePerson(viewer: PseudonymId, id: PseudonymId): Person {
  const core = useCore();
  const { data } = useCoreQuery(
    `person:${viewer}:${id}`,
    () => core.findProfile(viewer, id),
    (c) => c.kind === 'profile' && c.pseudonym === id,
  );
  return { id, name: data?.name, handle: data?.handle };
}
