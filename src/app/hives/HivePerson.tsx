/**
 * A person in a hive, named as every screen names people (people/PersonLabel.tsx): the name this device knows
 * (the viewer's own pseudonym's, or a profile it holds) and the handle, else a short key fingerprint.
 */
import type { PseudonymSummary } from '../../../workers/api/api-types.ts';
import type { PseudonymId } from '../../protocol/ids.ts';
import { PersonLabel } from '../people/PersonLabel.tsx';
import { usePerson } from '../people/use-person.ts';

export function HivePerson({ me, id }: { readonly me: PseudonymSummary; readonly id: PseudonymId }) {
  const known = usePerson(me.id, id);
  const person = id === me.id ? { id, name: me.name, handle: me.handle ?? known.handle } : known;
  return <PersonLabel person={person} />;
}
