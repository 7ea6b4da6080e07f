/**
 * The index's plans (matches.ts) give exactly the matches a plain filter of every row gives, in key order,
 * page after page and from a cursor: a common prefix of many words (the rows walked), a rare one (read whole),
 * a prefix of a few words (walked term by term), sparse intersections (steps that grow, keys held for the next
 * page) and dates. The rows are put directly, so there are enough of them to pass the plans' thresholds.
 */
import 'fake-indexeddb/auto';
import { beforeAll, expect, test } from 'vitest';
import { type CoreDb, type PostKey, type SearchRow, openCoreDb } from '../store/db.ts';
import { compareKeys } from '../store/post-rows.ts';
import { type PlanLimits, matchingKeys } from './matches.ts';
import { termsMatch, withinDates } from './post-match.ts';
import type { SearchQuery, WordTerm } from './query.ts';

const POSTS = 700;
/** Smaller than the app's, so the common prefix has more entries than are read whole, and walks go deep. */
const LIMITS: PlanLimits = { maxReadWhole: 500, maxBehind: 100 };
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
    const row = { k: [-(T + Math.floor(i / 2) * 1000), i % 3, i] as PostKey, i: `id${i}`, w: termsOfPost(i) };
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
    .filter((r) => termsMatch(r.w, query) && withinDates(tsOf(r.k), query))
    .map((r) => r.k)
    .filter((k) => !after || compareKeys(k, after) > 0);
}

/** Every match after `after`, as pages of `n` from one matchingKeys. */
async function paged(query: SearchQuery, n: number, after?: PostKey): Promise<PostKey[]> {
  const next = await matchingKeys(db, query, undefined, after, LIMITS);
  const all: PostKey[] = [];
  for (;;) {
    const keys = await next(n);
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
];

test.each(queries)('%s: the same matches as a filter of every row, page by page', async (_, query) => {
  const all = expected(query);
  for (const n of [1, 7, 50]) expect(await paged(query, n)).toEqual(all);
});

test.each(queries)('%s: from a cursor, the matches after it', async (_, query) => {
  const after = rows[Math.floor(POSTS / 3)]!.k;
  expect(await paged(query, 50, after)).toEqual(expected(query, after));
});

test('the cases above reach every plan: enough matches to page, and the filter is not trivial', async () => {
  const count = (from: string) => db.countFromIndex('search', 'terms', IDBKeyRange.bound(from, `${from}\uffff`));
  expect(await count('p')).toBeGreaterThan(LIMITS.maxReadWhole);
  expect(await count('r')).toBeLessThan(LIMITS.maxReadWhole);
  expect(expected(q([w('p', true)])).length).toBe(POSTS);
  expect(expected(q([w('r', true)])).length).toBe(POSTS / 10);
  expect(expected(q([w('seven'), w('eleven')])).length).toBeGreaterThan(7);
  expect(expected(q([w('p', true)], { since: T + 200_000, until: T + 260_000 })).length).toBeGreaterThan(50);
});
