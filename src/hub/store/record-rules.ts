/**
 * Rules every store applies alike to the small signed records it keeps one of
 * per author (inbox policies, directory listings): a new one replaces the one
 * held only when its seq is greater, the same bytes again is 'held', and
 * anything else is stale (two devices racing cannot both win); and the
 * refusal of a retired pseudonym's claim.
 */
import { bytesEqual } from '../../protocol/bytes.ts';
import { ProtocolError, type ProtocolErrorName } from '../../protocol/errors.ts';
import type { SignedInboxPolicy } from '../../protocol/inbox-policy.ts';
import type { SignedListing } from '../../protocol/listing.ts';

/** A record kept one per author, by seq. */
export interface SeqRecord {
  readonly seq: number;
  readonly bytes: Uint8Array;
}

/** @returns 'replace' or 'held'. @throws ProtocolError `stale` (StalePolicy, StaleListing) */
export function seqOutcome(
  held: SeqRecord | undefined,
  next: SeqRecord,
  stale: ProtocolErrorName,
  what: string,
): 'replace' | 'held' {
  if (!held || next.seq > held.seq) return 'replace';
  if (bytesEqual(held.bytes, next.bytes)) return 'held';
  throw new ProtocolError(stale, `the hub holds ${what} at seq ${held.seq}; a new one needs a greater seq`, {
    seq: held.seq,
  });
}

export const policyRecord = (p: SignedInboxPolicy): SeqRecord => ({ seq: p.policy.seq, bytes: p.bytes });
export const listingRecord = (l: SignedListing): SeqRecord => ({ seq: l.listing.seq, bytes: l.bytes });

/** @returns 'replace' or 'held'. @throws ProtocolError StalePolicy */
export function policyOutcome(held: SignedInboxPolicy | undefined, next: SignedInboxPolicy): 'replace' | 'held' {
  return seqOutcome(held && policyRecord(held), policyRecord(next), 'StalePolicy', "this inbox's policy");
}

/** @returns 'replace' or 'held'. @throws ProtocolError StaleListing */
export function listingOutcome(held: SignedListing | undefined, next: SignedListing): 'replace' | 'held' {
  return seqOutcome(held && listingRecord(held), listingRecord(next), 'StaleListing', "this pseudonym's listing");
}

/** What a handle store answers a retired pseudonym's claim with. */
export function retiredError(): ProtocolError {
  return new ProtocolError('Retired', 'this pseudonym retired itself on this hub: it can claim no handle here');
}
