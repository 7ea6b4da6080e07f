/**
 * One standing vote per voter and target: pressing the vote one holds withdraws it (sends 0), and the counts a
 * read must show after a vote move by that one voter. Which vote the viewer holds comes from the hive's signed
 * votes (HiveRead.mine), so it is the same on each of its devices.
 */

export type VoteValue = -1 | 0 | 1;

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
