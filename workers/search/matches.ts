/**
 * The post keys matching a query, in timeline order, a few at a time, from
 * the index in memory (term-index.ts). Each part of the query is a lookup:
 * a word, a word's prefix (the indexed words starting so), a tag, the media
 * mark, or the authors `from:` names. The lookup with the fewest entries
 * leads; each of its entries is kept when every other lookup holds it too
 * (marked in a byte per entry) and its key is within the dates. The keys are
 * then taken in order without sorting them all: each step picks the next
 * few after where the last stopped, so a page of a common word costs a pass
 * over its entries, never a sort of them.
 */
import type { CoreDb, PostKey } from '../store/db.ts';
import { compareKeys } from '../store/post-rows.ts';
import { MEDIA_TERM, authorTerm, tagTerm } from '../store/search-terms.ts';
import type { SearchQuery } from './query.ts';
import { type TermIndex, termIndexOf } from './term-index.ts';

/** Keys one pass picks at least (a page short of hits after a filter asks again; the extra waits for it). */
const MIN_PICK = 256;

/** The entries of each lookup of `query`, current ones only, each once. */
function lookupsOf(index: TermIndex, query: SearchQuery, from: readonly string[] | undefined): number[][] {
  return [
    ...query.words.map((w) => index.entriesOf(w.prefix ? index.termsStartingWith(w.text) : [w.text])),
    ...query.tags.map((t) => index.entriesOf([tagTerm(t)])),
    ...(query.hasMedia ? [index.entriesOf([MEDIA_TERM])] : []),
    ...(from ? [index.entriesOf(from.map(authorTerm))] : []),
  ];
}

/** The entries every lookup holds, in no order (all current entries when there are no lookups). */
function entriesOfAll(index: TermIndex, lookups: number[][]): number[] {
  if (lookups.length === 0) return index.currentEntries();
  const [lead, ...rest] = [...lookups].sort((a, b) => a.length - b.length);
  if (rest.length === 0 || lead!.length === 0) return lead!;
  const marks = rest.map((entries) => {
    const mark = new Uint8Array(index.size);
    for (const e of entries) mark[e] = 1;
    return mark;
  });
  return lead!.filter((e) => marks.every((m) => m[e] === 1));
}

/** A function giving the next (up to) `n` keys of the matches, in timeline order, strictly after `after`. */
export async function matchingKeys(
  db: CoreDb,
  query: SearchQuery,
  from: readonly string[] | undefined,
  after: PostKey | undefined,
): Promise<(n: number) => Promise<PostKey[]>> {
  const index = await termIndexOf(db);
  const top: PostKey = query.until !== undefined ? [-query.until, -Infinity, -Infinity] : [-Infinity, 0, 0];
  const lower: PostKey = after && compareKeys(after, top) > 0 ? after : top;
  const upper: PostKey = query.since !== undefined ? [-query.since, Infinity, Infinity] : [Infinity, 0, 0];
  let rest = entriesOfAll(index, lookupsOf(index, query, from))
    .map((e) => index.keyOf(e))
    .filter((k) => compareKeys(k, lower) > 0 && compareKeys(k, upper) <= 0);
  const held: PostKey[] = [];
  return async (n) => {
    if (held.length < n && rest.length > 0) {
      const want = Math.max(n - held.length, MIN_PICK);
      const picked = leastKeys(rest, want);
      held.push(...picked);
      const last = picked.at(-1)!;
      // What a pass did not pick lies after what it did: the next pass looks only there.
      rest = picked.length < want ? [] : rest.filter((k) => compareKeys(k, last) > 0);
    }
    return held.splice(0, n);
  };
}

/**
 * The `n` least of `keys`, in order, without sorting them all: the n-th least time is found by selection over
 * the keys' first parts (numbers), and only keys up to it are sorted.
 */
export function leastKeys(keys: readonly PostKey[], n: number): PostKey[] {
  if (keys.length <= n) return [...keys].sort(compareKeys);
  const firsts = Float64Array.from(keys, (k) => k[0]);
  const cut = nthLeast(firsts, n - 1);
  return keys
    .filter((k) => k[0] <= cut)
    .sort(compareKeys)
    .slice(0, n);
}

/** The value that would be at `rank` were `values` sorted (Hoare's selection; reorders `values`). */
function nthLeast(values: Float64Array, rank: number): number {
  let lo = 0;
  let hi = values.length - 1;
  while (lo < hi) {
    const pivot = values[(lo + hi) >> 1]!;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (values[i]! < pivot) i++;
      while (values[j]! > pivot) j--;
      if (i <= j) {
        const t = values[i]!;
        values[i++] = values[j]!;
        values[j--] = t;
      }
    }
    if (rank <= j) hi = j;
    else if (rank >= i) lo = i;
    else return values[rank]!;
  }
  return values[rank]!;
}
