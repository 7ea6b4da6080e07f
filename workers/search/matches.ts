/**
 * The post keys matching a query, in timeline order, a few at a time, from
 * the index in memory (term-index.ts). Each part of the query is a lookup:
 * a word, a word's prefix (the indexed words starting so), a tag, the media
 * mark, or the authors `from:` names. The lookup with the fewest entries
 * leads; each of its entries is kept when every other lookup holds it too
 * (marked in a byte per entry) and its key is within the dates. The keys are
 * then taken in order without sorting them all: each step picks the next
 * few after where the last stopped, so a page of a common word costs a pass
 * over its entries, never a sort of them. Keys are compared by their first
 * part (the time) kept in a typed array; their arrays are read on ties.
 */
import type { PostKey } from '../store/db.ts';
import { compareKeys } from '../store/post-rows.ts';
import { MEDIA_TERM, authorTerm, tagTerm } from '../store/search-terms.ts';
import type { SearchQuery } from './query.ts';
import type { TermIndex } from './term-index.ts';

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
export function matchingKeys(
  index: TermIndex,
  query: SearchQuery,
  from: readonly string[] | undefined,
  after: PostKey | undefined,
): (n: number) => PostKey[] {
  const top: PostKey = query.until !== undefined ? [-query.until, -Infinity, -Infinity] : [-Infinity, 0, 0];
  const lower: PostKey = after && compareKeys(after, top) > 0 ? after : top;
  const upper: PostKey = query.since !== undefined ? [-query.since, Infinity, Infinity] : [Infinity, 0, 0];
  let rest = entriesOfAll(index, lookupsOf(index, query, from));
  // Bounds other than the whole timeline (dates, a cursor) leave out the entries outside them.
  if (lower !== top || query.until !== undefined || query.since !== undefined)
    rest = rest.filter((e) => isAfter(index, e, lower) && !isAfter(index, e, upper));
  const held: PostKey[] = [];
  /** Where the last pass stopped: what it did not pick lies after it (left out when a next pass comes). */
  let last: PostKey | undefined;
  return (n) => {
    if (held.length < n && rest.length > 0) {
      if (last) {
        const stop = last;
        rest = rest.filter((e) => isAfter(index, e, stop));
      }
      const want = Math.max(n - held.length, MIN_PICK);
      const picked = leastEntries(index, rest, want);
      held.push(...picked.map((e) => index.keyOf(e)));
      last = index.keyOf(picked.at(-1)!);
      if (picked.length < want) rest = [];
    }
    return held.splice(0, n);
  };
}

/** True when the entry's key is after `key` (its key's array read only when the first parts tie). */
function isAfter(index: TermIndex, entry: number, key: PostKey): boolean {
  const first = index.firstOf(entry);
  return first !== key[0] ? first > key[0] : compareKeys(index.keyOf(entry), key) > 0;
}

/**
 * The `n` entries of least keys, in key order, without sorting them all: the n-th least first part is found
 * by selection over the entries' first parts (numbers), and only entries up to it are sorted.
 */
export function leastEntries(index: TermIndex, entries: readonly number[], n: number): number[] {
  const byKey = (a: number, b: number) => compareKeys(index.keyOf(a), index.keyOf(b));
  if (entries.length <= n) return [...entries].sort(byKey);
  const firsts = new Float64Array(entries.length);
  for (let i = 0; i < entries.length; i++) firsts[i] = index.firstOf(entries[i]!);
  const cut = nthLeast(firsts, n - 1);
  return entries
    .filter((e) => index.firstOf(e) <= cut)
    .sort(byKey)
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
