/**
 * The votes a pseudonym cast in hives from this device, remembered so that its buttons show them pressed and a
 * second press withdraws (sends 0). A hive's state counts votes (ups, downs) without saying whose they are, so the
 * device keeps its own: a vote cast on another device is not known here, and pressing +1 there sends +1 again,
 * which changes no count (one standing vote per voter and target). Kept in localStorage, the newest few thousand.
 */
import type { ObjectId, PseudonymId } from '../../protocol/ids.ts';

export type VoteValue = -1 | 0 | 1;

const PREFIX = 'murmur.hive-votes.';
const KEEP = 2000;

function load(me: PseudonymId): Record<string, VoteValue> {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(PREFIX + me) ?? '{}');
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, VoteValue>) : {};
  } catch {
    return {};
  }
}

/** The vote `me` last cast on `target` from this device (0 when none or withdrawn). */
export function findOwnVote(me: PseudonymId, target: ObjectId): VoteValue {
  const value = load(me)[target];
  return value === 1 || value === -1 ? value : 0;
}

export function rememberVote(me: PseudonymId, target: ObjectId, value: VoteValue): void {
  const votes = load(me);
  delete votes[target];
  if (value !== 0) votes[target] = value;
  const kept = Object.entries(votes).slice(-KEEP);
  try {
    localStorage.setItem(PREFIX + me, JSON.stringify(Object.fromEntries(kept)));
  } catch {
    // storage refused (private mode, full): the vote stands on the hub; only the pressed look is lost
  }
}

/** Pressing the vote one holds withdraws it; pressing the other (or any, holding none) casts it. */
export const nextVote = (held: VoteValue, pressed: 1 | -1): VoteValue => (held === pressed ? 0 : pressed);

/** The counts once `next` replaces `held` as the voter's standing vote (what a read must show for it). */
export function countsAfter(
  counts: { readonly ups: number; readonly downs: number },
  held: VoteValue,
  next: VoteValue,
): { ups: number; downs: number } {
  const ups = counts.ups - (held === 1 ? 1 : 0) + (next === 1 ? 1 : 0);
  const downs = counts.downs - (held === -1 ? 1 : 0) + (next === -1 ? 1 : 0);
  return { ups, downs };
}
