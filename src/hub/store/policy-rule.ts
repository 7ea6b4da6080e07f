/**
 * The one rule every inbox store applies to a new inbox policy against the
 * one it holds: newer by seq replaces, the same bytes again is 'held', and
 * anything else is StalePolicy (two devices racing cannot both win).
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
