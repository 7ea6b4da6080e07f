/**
 * Who can read a post, chosen in one control: Public, My approved followers
 * (approved in Settings), People I name (from those the pseudonym follows
 * whose DM key this device holds), or Anyone with the link. Non-public posts are sealed on this device, so hubs hold
 * ciphertext only; the words under the control say what each choice means,
 * and that taking someone off affects later posts only.
 */
import { Suspense, lazy, useId } from 'react';
import type { AudienceChoice } from '../../../workers/api/api-types.ts';
import type { PseudonymId } from '../../protocol/ids.ts';

// Shown only for a sealed audience: loaded when one is chosen.
const ReaderList = lazy(() => import('./AudienceReaders.tsx').then((m) => ({ default: m.ReaderList })));
const ApprovedCount = lazy(() => import('./AudienceReaders.tsx').then((m) => ({ default: m.ApprovedCount })));

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
      <Suspense fallback={null}>
        {value.kind === 'allowlist' && <ReaderList pseudonym={pseudonym} value={value} onChange={onChange} />}
        {value.kind === 'followers' && <ApprovedCount pseudonym={pseudonym} />}
      </Suspense>
    </div>
  );
}
