/**
 * Who can read a post, chosen in one control: Public, My approved followers
 * (approved in Settings), People I name (from those the pseudonym follows
 * whose DM key this device holds), or Anyone with the link. Non-public posts are sealed on this device, so hubs hold
 * ciphertext only; the words under the control say what each choice means,
 * and that taking someone off affects later posts only.
 */
import { useId } from 'react';
import type { AudienceCandidate, AudienceChoice } from '../../../workers/api/api-types.ts';
import type { PseudonymId } from '../../protocol/ids.ts';
import { useCore } from '../core/use-core.ts';
import { useCoreQuery } from '../core/use-core-query.ts';
import { routeHref } from '../nav/route.ts';

export type AudienceKind = AudienceChoice['kind'];

const HINTS: Readonly<Record<AudienceKind, string>> = {
  public: 'Anyone can read it.',
  followers:
    'Only the followers you approved can read it: it is sealed to them on this device, so hubs hold only ' +
    'ciphertext. Taking someone off later affects later posts only; they keep what they could already read.',
  allowlist:
    'Only the people you tick can read it: it is sealed to them on this device, so hubs hold only ciphertext. ' +
    'Taking someone off later affects later posts only; they keep what they could already read.',
  link: 'Anyone with its link can read it; the link’s key never reaches a hub. Copy the link from the post.',
};

export interface AudienceValue {
  readonly kind: AudienceKind;
  readonly readers: readonly PseudonymId[];
}

export function AudiencePicker({
  pseudonym,
  value,
  onChange,
  answersSealed,
}: {
  readonly pseudonym: PseudonymId;
  readonly value: AudienceValue;
  readonly onChange: (value: AudienceValue) => void;
  /** The post replied to or quoted is not public: a public answer would show its words to everyone. */
  readonly answersSealed?: boolean;
}) {
  const ids = useId();
  return (
    <div className="audience-picker">
      <label className="field-label" htmlFor={`${ids}-kind`}>
        Who can read this
      </label>
      <select
        id={`${ids}-kind`}
        className="input input-small"
        value={value.kind}
        aria-describedby={`${ids}-hint`}
        onChange={(e) => onChange({ ...value, kind: e.target.value as AudienceKind })}
      >
        <option value="public">Public</option>
        <option value="followers">My approved followers</option>
        <option value="allowlist">People I name</option>
        <option value="link">Anyone with the link</option>
      </select>
      <p id={`${ids}-hint`} className="audience-note" data-testid="audience-hint">
        {HINTS[value.kind]}
        {answersSealed && value.kind === 'public' && ' The post you answer is not public: this answer would be.'}
      </p>
      {value.kind === 'allowlist' && <ReaderList pseudonym={pseudonym} value={value} onChange={onChange} />}
      {value.kind === 'followers' && <ApprovedCount pseudonym={pseudonym} />}
    </div>
  );
}

function ReaderList({
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
function ApprovedCount({ pseudonym }: { readonly pseudonym: PseudonymId }) {
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
