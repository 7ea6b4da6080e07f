/** People count characters, not UTF-16 code units: LIMITS.postBodyChars counts code points. */
export function countCodePoints(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}
