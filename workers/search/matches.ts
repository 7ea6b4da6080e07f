/**
 * The post keys matching a query, in timeline order, a few at a time. Each
 * term of the query is a lookup on the `terms` index (a word, a word's
 * prefix, a tag, the media mark, or any of the authors `from:` names). The
 * lookup with the fewest entries (counted up to a cap, not read: a count
 * walks its whole range) leads: its post keys are walked in order and each
 * is kept when its search row has the other lookups' terms too. Its terms
 * (a word, the authors of `from:`, the words a prefix matches) are walked
 * with key cursors that resume where the last step stopped (one term's index
 * entries are in post key order), merged, so a page of a common word reads
 * about a page of entries, not all of them. A prefix of very many words is
 * read whole when it has few entries, else the rows are walked in key order
 * (it matches them densely). Steps grow while a sparse intersection finds
 * little, and what one finds beyond the page waits for the next.
 */
import type { CoreDb, PostKey, SearchRow } from '../store/db.ts';
import { compareKeys } from '../store/post-rows.ts';
import { MEDIA_TERM, authorTerm, tagTerm } from '../store/search-terms.ts';
import { holdsWord } from './post-match.ts';
import type { SearchQuery } from './query.ts';
import { type TermsIndex, keysThrough, stepOf, walksOf } from './term-walks.ts';

interface Lookup {
  readonly ranges: readonly IDBKeyRange[];
  /** Its terms when known (exact lookups); a prefix's are found in the index when it leads. */
  readonly terms?: readonly string[];
  readonly matches: (terms: readonly string[]) => boolean;
}

/** A prefix matching more distinct terms than this is read whole rather than walked term by term. */
const MAX_WALKED_TERMS = 32;

function exact(terms: readonly string[]): Lookup {
  return {
    ranges: terms.map((t) => IDBKeyRange.only(t)),
    terms,
    matches: (have) => terms.some((t) => have.includes(t)),
  };
}

function prefix(text: string): Lookup {
  return {
    ranges: [IDBKeyRange.bound(text, `${text}\uffff`)],
    matches: (have) => holdsWord(have, { text, prefix: true }),
  };
}

function lookupsOf(query: SearchQuery, from: readonly string[] | undefined): Lookup[] {
  return [
    ...query.words.map((w) => (w.prefix ? prefix(w.text) : exact([w.text]))),
    ...query.tags.map((t) => exact([tagTerm(t)])),
    ...(query.hasMedia ? [exact([MEDIA_TERM])] : []),
    ...(from ? [exact(from.map(authorTerm))] : []),
  ];
}

/** The plans' thresholds (tests pass smaller ones, to reach every plan with few rows). */
export interface PlanLimits {
  /** A prefix of many words with at most this many entries is read whole (one getAllKeys); else its rows walked. */
  readonly maxReadWhole: number;
  /** A walk from the top reads again what lies behind it each step, up to this many (term-walks.ts). */
  readonly maxBehind: number;
}

export const PLAN_LIMITS: PlanLimits = { maxReadWhole: 4000, maxBehind: 2048 };

/** A function giving the next (up to) `n` keys of the matches, in timeline order, strictly after `after`. */
export async function matchingKeys(
  db: CoreDb,
  query: SearchQuery,
  from: readonly string[] | undefined,
  after: PostKey | undefined,
  { maxReadWhole, maxBehind }: PlanLimits = PLAN_LIMITS,
): Promise<(n: number) => Promise<PostKey[]>> {
  const top: PostKey = query.until !== undefined ? [-query.until, -Infinity, -Infinity] : [-Infinity, 0, 0];
  let lower: PostKey = after && compareKeys(after, top) > 0 ? after : top;
  const upper: PostKey = query.since !== undefined ? [-query.since, Infinity, Infinity] : [Infinity, 0, 0];
  const lookups = lookupsOf(query, from);
  if (lookups.length === 0) {
    // Dates alone: the search rows in key order are the answer.
    return async (n) => {
      if (compareKeys(lower, upper) > 0) return [];
      const keys = await db.getAllKeys('search', IDBKeyRange.bound(lower, upper, true, false), n);
      if (keys.length > 0) lower = keys.at(-1)!;
      return keys;
    };
  }
  const terms = await Promise.all(lookups.map((l) => l.terms ?? distinctTerms(db, l.ranges[0]!)));
  const index = db.transaction('search').store.index('terms');
  const counts = await Promise.all(
    lookups.map((l, i) => (lookups.length === 1 ? 0 : sizeOf(index, l, !terms[i] && maxReadWhole))),
  );
  const total = rowsAbout(db, counts);
  // The lead has the fewest entries; among equals, one walked term by term.
  const rank = (i: number) => counts[i]! * 2 + (terms[i] ? 0 : 1);
  const at = lookups.reduce((best, _, i) => (rank(i) < rank(best) ? i : best), 0);
  const lead = lookups[at]!;
  const rest = lookups.filter((l) => l !== lead);
  const holdsRest = (row: SearchRow) => rest.every((l) => l.matches(row.w));
  const termsIndex = () => db.transaction('search').store.index('terms');
  // A walk from the very top knows how many entries lie behind it (none); `until:` or a cursor starts below it.
  const fromTop = query.until === undefined && compareKeys(lower, top) === 0;

  /** Of `keys` (in order), those whose rows hold every one of `lookups`' terms. */
  const rowsHold = async (keys: readonly PostKey[], lookups: readonly Lookup[]): Promise<PostKey[]> => {
    if (lookups.length === 0 || keys.length === 0) return [...keys];
    const store = db.transaction('search').store;
    const rows = await Promise.all(keys.map((k) => store.get(k)));
    return keys.filter((_, i) => rows[i] !== undefined && lookups.every((l) => l.matches(rows[i]!.w)));
  };
  const keep = (keys: readonly PostKey[]) => rowsHold(keys, rest);

  const walked = terms[at];
  if (walked) {
    // The other lookups not much denser than the lead are walked beside it over the same keys (merged); the
    // rest are checked on the lead's rows (a row get costs about what a dozen index entries do).
    const merged = rest.flatMap((l) => {
      const i = lookups.indexOf(l);
      return terms[i] && counts[i]! <= MERGE_RATIO * counts[at]!
        ? [{ lookup: l, walks: walksOf(terms[i]!, fromTop, maxBehind), ratio: counts[i]! / Math.max(1, counts[at]!) }]
        : [];
    });
    const checked = rest.filter((l) => !merged.some((m) => m.lookup === l));
    const leadWalks = walksOf(walked, fromTop, maxBehind);
    // How many of the lead's entries a page takes, were the lookups independent: the first step's size.
    const share = rest.reduce((p, l) => p * Math.min(1, counts[lookups.indexOf(l)]! / total), 1);
    return paced(async (size) => {
      const index = termsIndex();
      const { keys, next } = await stepOf(index, leadWalks, lower, upper, size);
      const through = next ?? keys.at(-1);
      const sets = through
        ? await Promise.all(
            // Over the lead's keys a denser lookup has about `ratio` times its entries: read so many at first.
            merged.map((m) =>
              keysThrough(index, m.walks, lower, through, Math.max(STEP, Math.ceil(size * m.ratio * 1.1))),
            ),
          )
        : [];
      if (next) lower = next;
      const candidates = keys.filter((k) => sets.every((set) => set.has(k.join())));
      return { keys: await rowsHold(candidates, checked), done: next === undefined };
    }, share);
  }

  if ((lookups.length === 1 ? await sizeOf(termsIndex(), lead, maxReadWhole) : counts[at]!) > maxReadWhole) {
    // A prefix of many words, and common: the rows in key order hold it densely, each checked against all.
    return paced(async (size) => {
      if (compareKeys(lower, upper) > 0) return { keys: [], done: true };
      const rows = await db.getAll('search', IDBKeyRange.bound(lower, upper, true, false), size);
      if (rows.length > 0) lower = rows.at(-1)!.k;
      return { keys: rows.filter((r) => lead.matches(r.w) && holdsRest(r)).map((r) => r.k), done: rows.length < size };
    });
  }

  // A prefix of many words, each rare: its few entries read whole, deduplicated and sorted.
  const all = new Map<string, PostKey>();
  const within = (k: PostKey) => compareKeys(k, lower) > 0 && compareKeys(k, upper) <= 0;
  const leadIndex = termsIndex();
  for (const keys of await Promise.all(lead.ranges.map((r) => leadIndex.getAllKeys(r))))
    for (const k of keys) if (within(k)) all.set(k.join(), k);
  const sorted = [...all.values()].sort(compareKeys);
  let read = 0;
  return paced(async (size) => {
    const step = sorted.slice(read, read + size);
    read += step.length;
    return { keys: await keep(step), done: read >= sorted.length };
  });
}

/** The search rows of each database, counted once (an estimate for step sizes: counting 100,000 rows is slow). */
const rowCounts = new WeakMap<CoreDb, number>();

/** About how many search rows there are: counted once in the background; until then, at least the most entries. */
function rowsAbout(db: CoreDb, counts: readonly number[]): number {
  const known = rowCounts.get(db);
  if (known === undefined) {
    rowCounts.set(db, 0);
    void db.count('search').then((n) => rowCounts.set(db, n));
  }
  return Math.max(known ?? 0, ...counts, 1);
}

/** The most entries one step reads per term (steps grow while they find fewer matches than asked). */
const MAX_STEP = 1024;

/**
 * A next-keys function over `step` (the matches among about `size` more entries, and whether any remain):
 * steps double while they find fewer matches than asked (a sparse intersection takes a few steps, not tens),
 * and what a step finds beyond the ask is held for the next call, so a page reads about a page of rows.
 */
function paced(
  step: (size: number) => Promise<{ keys: PostKey[]; done: boolean }>,
  share = 1,
): (n: number) => Promise<PostKey[]> {
  const held: PostKey[] = [];
  let done = false;
  let size = 0;
  return async (n) => {
    // A quarter more than the estimate: a step short of the page costs another round.
    size = Math.max(size, STEP, Math.min(Math.ceil((n * 1.25) / Math.max(share, 1e-9)), MAX_STEP));
    while (!done && held.length < n) {
      const found = await step(size);
      held.push(...found.keys);
      done = found.done;
      if (held.length < n) size = Math.min(size * 2, MAX_STEP);
    }
    return held.splice(0, n);
  };
}

/**
 * A lookup's entries. A count steps over each without reading it (a few ms for tens of thousands); a prefix of
 * very many words may have millions, so it is counted only to just past `cap`, by a cursor skipping ahead.
 */
async function sizeOf(index: TermsIndex, lookup: Lookup, cap: number | false): Promise<number> {
  if (cap === false) return (await Promise.all(lookup.ranges.map((r) => index.count(r)))).reduce((a, b) => a + b, 0);
  const c = await index.openKeyCursor(lookup.ranges[0]!);
  if (!c) return 0;
  return (await c.advance(cap)) ? cap + 1 : index.count(lookup.ranges[0]!);
}

/** Another lookup at most this many times the lead's entries is walked beside it, not checked on rows. */
const MERGE_RATIO = 8;

/** Entries read per term per step. */
const STEP = 64;

/** The distinct terms in `range` (a prefix's words), or undefined when there are more than MAX_WALKED_TERMS. */
async function distinctTerms(db: CoreDb, range: IDBKeyRange): Promise<string[] | undefined> {
  const terms: string[] = [];
  const index = db.transaction('search').store.index('terms');
  for (let c = await index.openKeyCursor(range, 'nextunique'); c; c = await c.continue()) {
    if (terms.length === MAX_WALKED_TERMS) return undefined;
    terms.push(c.key);
  }
  return terms;
}
