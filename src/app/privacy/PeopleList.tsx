/** A list of people (muted, blocked, allowed to reach the inbox), each by name with an action to undo it. */
import { useId } from 'react';
import type { ListedEntry } from '../../../workers/private/types.ts';
import type { PseudonymId } from '../../protocol/ids.ts';
import { profileHref } from '../nav/route.ts';
import { PersonLabel, personText } from '../people/PersonLabel.tsx';
import { usePerson } from '../people/use-person.ts';

export type Undo = (value: string) => void;

interface PeopleListProps {
  readonly title: string;
  readonly viewer: PseudonymId;
  readonly entries: readonly ListedEntry[];
  readonly action: string;
  readonly undo: Undo;
}

export function PeopleList({ viewer, ...props }: PeopleListProps) {
  const ids = useId();
  return (
    <div className="privacy-list">
      <h3 id={ids} className="settings-subtitle">
        {props.title}
      </h3>
      {props.entries.length === 0 ? (
        <p className="field-hint">None</p>
      ) : (
        <ul aria-labelledby={ids} className="privacy-entries">
          {props.entries.map((e) => (
            <Person key={e.value} viewer={viewer} id={e.value as PseudonymId} action={props.action} undo={props.undo} />
          ))}
        </ul>
      )}
    </div>
  );
}

function Person({ viewer, id, action, undo }: { viewer: PseudonymId; id: PseudonymId; action: string; undo: Undo }) {
  const person = usePerson(viewer, id);
  return (
    <li className="privacy-entry">
      <a href={profileHref(id)}>
        <PersonLabel person={person} />
      </a>
      <button type="button" className="button button-small button-quiet" onClick={() => undo(id)}>
        {action}
        <span className="visually-hidden"> {personText(person)}</span>
      </button>
    </li>
  );
}
