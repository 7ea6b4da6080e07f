/** Comparing lists as sets: head and tip lists hold each id once, in no meaningful order. */

/**
 * Whether `a` and `b` hold the same members, ignoring order. Lists with
 * repeats compare as multisets (['x', 'x'] is not ['x', 'y']), so the answer
 * is the same whichever list is passed first.
 */
export function sameMembers(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  const sortedB = [...b].sort();
  return [...a].sort().every((x, i) => x === sortedB[i]);
}
