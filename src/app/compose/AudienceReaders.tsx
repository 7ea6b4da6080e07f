/**
 * The parts of the audience picker (AudiencePicker.tsx) a sealed audience
 * shows: the people a post may be sealed to, and how many approved followers
 * will read it. A chunk of their own, loaded when such an audience is chosen.
 */
import type { AudienceCandidate } from '../../../workers/api/api-types.ts';
import type { PseudonymId } from '../../protocol/ids.ts';
import { useCore } from '../core/use-core.ts';
import { useCoreQuery } from '../core/use-core-query.ts';
import { routeHref } from '../nav/route.ts';
import type { AudienceValue } from './AudiencePicker.tsx';

export function ReaderList({
  pseudonym,
  value,
  onChange,
}: {
  readonly pseudonym: PseudonymId;
  readonly value: AudienceValue;
  readonly onChange: (value: AudienceValue) => void;
}) {
  const core = useCore();
  const { data: people, error } = useCoreQuery(
    `audience-candidates:${pseudonym}`,
    () => core.listAudienceCandidates(pseudonym),
    (c) => c.kind === 'timeline' && c.pseudonym === pseudonym,
  );
  const toggle = (id: PseudonymId, on: boolean) =>
    onChange({ ...value, readers: on ? [...value.readers, id] : value.readers.filter((r) => r !== id) });
  if (error !== undefined) return <p className="message message-error">The people you follow could not be read.</p>;
  if (!people) return null;
  if (people.length === 0)
    return <p className="audience-note">Follow someone first: you can name the people you follow.</p>;
  return (
    <fieldset className="audience-readers">
      <legend className="field-label">People who can read it</legend>
      {people.map((p) => (
        <label key={p.id} className="checkbox">
          <input
            type="checkbox"
            checked={value.readers.includes(p.id)}
            disabled={!p.canRead}
            onChange={(e) => toggle(p.id, e.target.checked)}
          />{' '}
          {nameOf(p)}
          {!p.canRead && <span className="audience-note"> (has not turned on private messages yet)</span>}
        </label>
      ))}
    </fieldset>
  );
}

/** How many approved followers will read it, and where to approve more. */
export function ApprovedCount({ pseudonym }: { readonly pseudonym: PseudonymId }) {
  const core = useCore();
  const { data: followers } = useCoreQuery(
    `followers:${pseudonym}`,
    () => core.listFollowers(pseudonym),
    (c) => ['private', 'notifications', 'profile'].includes(c.kind) && (!c.pseudonym || c.pseudonym === pseudonym),
  );
  if (!followers) return null;
  const readers = followers.filter((f) => f.approved && f.canRead).length;
  const waiting = followers.filter((f) => !f.approved).length;
  return (
    <p className="audience-note" data-testid="audience-followers">
      {readers === 0
        ? 'You have approved no follower yet: only you will read it.'
        : `${readers} approved ${readers === 1 ? 'follower' : 'followers'} will read it.`}{' '}
      {waiting > 0 && `${waiting} waiting for approval. `}
      <a href={routeHref({ name: 'settings' })}>Approve followers in Settings</a>
    </p>
  );
}

function nameOf(p: AudienceCandidate): string {
  if (p.name && p.handle) return `${p.name} (${p.handle})`;
  return p.name ?? p.handle ?? `${p.id.slice(0, 12)}…`;
}
