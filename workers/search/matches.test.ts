/**
 * The index in memory (term-index.ts, matches.ts) gives exactly the matches a plain filter of every row gives,
 * in key order, page after page and from a cursor: prefixes common and rare, words common and rare, sparse
 * intersections, dates alone and with words; and it follows rows written after it loaded (new posts, an edit's
 * new terms, every row written again). The rows are put directly, more than one pass of the matcher picks.
 */
import 'fake-indexeddb/auto';
import { beforeAll, expect, test } from 'vitest';
import { type CoreDb, type PostKey, type SearchRow, openCoreDb } from '../store/db.ts';
import { compareKeys } from '../store/post-rows.ts';
import { putSearchRow, termsOfRow } from '../store/search-rows.ts';
import { leastEntries, matchingKeys } from './matches.ts';
import { TermIndex, termIndexOf } from './term-index.ts';
import { termsMatch, withinDates } from './post-match.ts';
import type { SearchQuery, WordTerm } from './query.ts';

const POSTS = 700;
const T = Date.UTC(2026, 10, 1);
let db: CoreDb;
const rows: SearchRow[] = [];
const tsOf = (k: PostKey) => -k[0];

/**
 * Post i's terms: four `p` words of 171 (common: more words than a walk takes and more entries than are read
 * whole), an `r` word of 37 on one post in ten (more words than a walk takes, few entries), and plain words.
 */
function termsOfPost(i: number): string[] {
  return [
    `p${i % 40}`,
    `p${40 + (i % 41)}`,
    `p${81 + (i % 43)}`,
    `p${124 + (i % 47)}`,
    ...(i % 10 === 0 ? [`r${i % 37}`] : []),
    ...(i % 2 === 0 ? ['even'] : []),
    ...(i % 7 === 0 ? ['seven'] : []),
    ...(i % 11 === 0 ? ['eleven'] : []),
    ...(i % 97 === 0 ? ['lone'] : []),
  ];
}

beforeAll(async () => {
  db = await openCoreDb('matches-test');
  const tx = db.transaction('search', 'readwrite');
  for (let i = 0; i < POSTS; i++) {
    // Some posts share a time (the key's tie orders them).
    const row = { k: [-(T + Math.floor(i / 2) * 1000), i % 3, i] as PostKey, w: termsOfPost(i).join(' ') };
    rows.push(row);
    void tx.store.put(row);
  }
  await tx.done;
  rows.sort((a, b) => compareKeys(a.k, b.k));
});

const w = (text: string, prefix = false): WordTerm => ({ text, prefix });
const q = (words: WordTerm[], dates: Partial<SearchQuery> = {}): SearchQuery => ({
  words,
  tags: [],
  from: [],
  hasMedia: false,
  ...dates,
});

/** Every match after `after`, by a filter of every row. */
function expected(query: SearchQuery, after?: PostKey): PostKey[] {
  return rows
    .filter((r) => termsMatch(termsOfRow(r), query) && withinDates(tsOf(r.k), query))
    .map((r) => r.k)
    .filter((k) => !after || compareKeys(k, after) > 0);
}

/** Every match after `after`, as pages of `n` from one matchingKeys. */
async function paged(query: SearchQuery, n: number, after?: PostKey): Promise<PostKey[]> {
  const next = matchingKeys(await termIndexOf(db), query, undefined, after);
  const all: PostKey[] = [];
  for (;;) {
    const keys = next(n);
    expect(keys.length).toBeLessThanOrEqual(n);
    if (keys.length === 0) return all;
    all.push(...keys);
  }
}

const queries: [string, SearchQuery][] = [
  ['a common prefix of many words', q([w('p', true)])],
  ['a common prefix of many words, with a word', q([w('p', true), w('seven')])],
  ['a rare prefix of many words', q([w('r', true)])],
  ['a rare prefix of many words, with a word', q([w('r', true), w('even')])],
  ['a prefix of a few words', q([w('p4', true)])],
  ['a common word (its walk goes deep)', q([w('even')])],
  ['a sparse intersection', q([w('seven'), w('eleven')])],
  ['a rare word and a common one', q([w('lone'), w('even')])],
  ['three words', q([w('even'), w('seven'), w('p4', true)])],
  ['a common word within dates', q([w('even')], { since: T + 100_000, until: T + 300_000 })],
  ['a common prefix within dates', q([w('p', true)], { since: T + 200_000, until: T + 260_000 })],
  ['a word no post has', q([w('none')])],
  ['dates alone', q([], { since: T + 100_000, until: T + 300_000 })],
];

test.each(queries)('%s: the same matches as a filter of every row, page by page', async (_, query) => {
  const all = expected(query);
  for (const n of [1, 7, 50]) expect(await paged(query, n)).toEqual(all);
});

test.each(queries)('%s: from a cursor, the matches after it', async (_, query) => {
  const after = rows[Math.floor(POSTS / 3)]!.k;
  expect(await paged(query, 50, after)).toEqual(expected(query, after));
});

test('the cases above are not trivial: more matches than a pass picks, and intersections that filter', () => {
  expect(expected(q([w('p', true)])).length).toBe(POSTS);
  expect(expected(q([w('r', true)])).length).toBe(POSTS / 10);
  expect(expected(q([w('seven'), w('eleven')])).length).toBeGreaterThan(7);
  expect(expected(q([w('seven'), w('eleven')])).length).toBeLessThan(expected(q([w('seven')])).length);
  expect(expected(q([w('p', true)], { since: T + 200_000, until: T + 260_000 })).length).toBeGreaterThan(50);
});

test('leastEntries gives the entries of least keys in order, whatever order they come in, times tied or not', () => {
  let x = 7;
  const random = () => {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    return x / 2 ** 31;
  };
  for (const n of [1, 5, 64, 300]) {
    const keys = Array.from({ length: 1000 }, () => [-Math.floor(random() * 50), random(), random()] as PostKey);
    const index = new TermIndex();
    for (const k of keys) index.add({ k, w: 'x' });
    const entries = keys.map((_, e) => e);
    expect(leastEntries(index, entries, n).map((e) => index.keyOf(e))).toEqual([...keys].sort(compareKeys).slice(0, n));
  }
});

/** Puts rows as the app does: in one transaction, stamped with its seq. */
async function write(written: SearchRow[]): Promise<void> {
  const tx = db.transaction(['search', 'meta'], 'readwrite');
  await Promise.all([...written.map((row) => putSearchRow(tx, row)), tx.done]);
}

test('rows written after the index loaded are found: new posts, and an edit by its new terms only', async () => {
  await paged(q([w('even')]), 50); // loaded
  const fresh = { k: [-(T + 900_000), 0, 0] as PostKey, w: 'fresh even' };
  const edited = rows.find((r) => termsOfRow(r).includes('lone'))!;
  await write([fresh, { ...edited, w: 'renamed' }]);
  expect(await paged(q([w('fresh')]), 50)).toEqual([fresh.k]);
  expect(await paged(q([w('renamed')]), 50)).toEqual([edited.k]);
  expect(await paged(q([w('lone')]), 50)).not.toContainEqual(edited.k);
  const evens = await paged(q([w('even')]), 50);
  expect(evens).toContainEqual(fresh.k);
  expect(evens).toEqual([...evens].sort(compareKeys));
  // Every row written again (as a rebuild does): the index, stale now, loads afresh and answers the same.
  const before = await paged(q([w('p', true)]), 50);
  await write(await db.getAll('search'));
  expect(await paged(q([w('p', true)]), 50)).toEqual(before);
  await write([edited]);
  rows.push(fresh);
  rows.sort((a, b) => compareKeys(a.k, b.k));
});
