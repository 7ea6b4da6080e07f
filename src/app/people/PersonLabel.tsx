/**
 * A person as every screen shows them: the name their profile publishes, and
 * beside it the handle this pseudonym knows them by, else a short key
 * fingerprint, since names are chosen freely and two people may share one.
 * With no published name the handle (or fingerprint) stands alone, strong.
 */
import type { TimelineItem } from '../../../workers/api/api-types.ts';
import type { PseudonymId } from '../../protocol/ids.ts';
import { shortFingerprint } from '../identity/pseudonym-label.ts';

export interface Person {
  readonly id: PseudonymId;
  readonly name?: string | undefined;
  readonly handle?: string | undefined;
}

/** A post's author as a person. */
export function authorOf(item: Pick<TimelineItem, 'author' | 'authorName' | 'authorHandle'>): Person {
  return { id: item.author, name: item.authorName, handle: item.authorHandle };
}

/** The published name, if it has any letter to show. */
function nameOf(person: Person): string | undefined {
  return person.name?.trim() || undefined;
}

/** How the person is told apart: the handle, else the start of their key. */
export function personTag(person: Person): string {
  return person.handle ?? shortFingerprint(person.id);
}

/** The person in one line of text (aria labels, "Messages with …"): "Name (handle)", or the handle alone. */
export function personText(person: Person): string {
  const name = nameOf(person);
  return name ? `${name} (${personTag(person)})` : personTag(person);
}

/** The shortest way to say who (a title, an avatar's label): the name, else the handle or fingerprint. */
export function personTitle(person: Person): string {
  return nameOf(person) ?? personTag(person);
}

export function PersonLabel({ person }: { readonly person: Person }) {
  const name = nameOf(person);
  // Each part isolated (bdi): a name may be written right to left, or hold bidi controls meant to turn the rest.
  return (
    <span className="person" data-testid="person">
      {name && (
        <>
          <bdi className="person-name" data-testid="person-name">
            {name}
          </bdi>{' '}
        </>
      )}
      <bdi className={name ? 'person-handle' : 'person-name'} data-testid="person-handle" title={person.id}>
        {personTag(person)}
      </bdi>
    </span>
  );
}
