/**
 * Rules every store applies alike to the small signed records it keeps: a
 * new inbox policy against the one held (newer by seq replaces, the same
 * bytes again is 'held', anything else is StalePolicy, so two devices racing
 * cannot both win), and the refusal of a retired pseudonym's claim.
 */
import { bytesEqual } from '../../protocol/bytes.ts';
import { ProtocolError } from '../../protocol/errors.ts';
import type { SignedInboxPolicy } from '../../protocol/inbox-policy.ts';

/** @returns 'replace' or 'held'. @throws ProtocolError StalePolicy */
export function policyOutcome(held: SignedInboxPolicy | undefined, next: SignedInboxPolicy): 'replace' | 'held' {
  if (!held || next.policy.seq > held.policy.seq) return 'replace';
  if (bytesEqual(held.bytes, next.bytes)) return 'held';
  throw new ProtocolError(
    'StalePolicy',
    `the hub holds this inbox's policy at seq ${held.policy.seq}; a new one needs a greater seq`,
    { seq: held.policy.seq },
  );
}

/** What a handle store answers a retired pseudonym's claim with. */
export function retiredError(): ProtocolError {
  return new ProtocolError('Retired', 'this pseudonym retired itself on this hub: it can claim no handle here');
}
