/**
 * The post keys matching a query, in timeline order, a few at a time. Each
 * term of the query is a lookup on the `terms` index (a word, a word's
 * prefix, a tag, the media mark, or any of the authors `from:` names). The
 * lookup with the fewest entries (counted, not read) leads: its post keys
 * are walked in order and each is kept when its search row has the other
 * lookups' terms too. Its terms (a word, the authors of `from:`, the words
 * a prefix matches) are walked with key cursors that resume where the last
 * step stopped (one term's index entries are in post key order), merged, so
 * a page of a common word reads about a page of entries, not all of them; a
 * prefix of very many words is read whole and sorted.
 */
import type { CoreDb, PostKey } from '../store/db.ts';
import { compareKeys } from '../store/post-rows.ts';
import { MEDIA_TERM, authorTerm, tagTerm } from '../store/search-terms.ts';
import { holdsWord } from './post-match.ts';
import type { SearchQuery } from './query.ts';

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

/** A function giving the next (up to) `n` keys of the matches, in timeline order, strictly after `after`. */
export async function matchingKeys(
  db: CoreDb,
  query: SearchQuery,
  from: readonly string[] | undefined,
  after: PostKey | undefined,
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
  const index = db.transaction('search').store.index('terms');
  const counts = await Promise.all(
    lookups.map(async (l) => (await Promise.all(l.ranges.map((r) => index.count(r)))).reduce((a, b) => a + b, 0)),
  );
  const lead = lookups[counts.indexOf(Math.min(...counts))]!;
  const rest = lookups.filter((l) => l !== lead);
  const within = (k: PostKey) => compareKeys(k, lower) > 0 && compareKeys(k, upper) <= 0;

  /** Of `keys` (in order), those whose rows hold every other lookup's terms. */
  const keep = async (keys: readonly PostKey[]): Promise<PostKey[]> => {
    if (rest.length === 0) return [...keys];
    const store = db.transaction('search').store;
    const rows = await Promise.all(keys.map((k) => store.get(k)));
    return keys.filter((_, i) => rows[i] !== undefined && rest.every((l) => l.matches(rows[i]!.w)));
  };

  const walked = lead.terms ?? (await distinctTerms(db, lead.ranges[0]!));
  if (walked) {
    let done = false;
    return async (n) => {
      const found: PostKey[] = [];
      while (!done && found.length < n) {
        const { keys, next } = await stepOf(db, walked, lower, upper, Math.max(n, STEP));
        if (next === undefined) done = true;
        else lower = next;
        found.push(...(await keep(keys)));
      }
      return found;
    };
  }

  // A prefix of many words: every entry read, deduplicated and sorted, then kept a step at a time.
  const all = new Map<string, PostKey>();
  for (const keys of await Promise.all(lead.ranges.map((r) => index.getAllKeys(r))))
    for (const k of keys) if (within(k)) all.set(k.join(), k);
  const sorted = [...all.values()].sort(compareKeys);
  let at = 0;
  return async (n) => {
    const found: PostKey[] = [];
    while (at < sorted.length && found.length < n) {
      const step = sorted.slice(at, at + Math.max(n, STEP));
      at += step.length;
      found.push(...(await keep(step)));
    }
    return found;
  };
}

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

/**
 * The next post keys after `lower` (to `upper`) having any of `terms`, in key order: up to `size` entries of
 * each term, merged, cut at the least last key of the terms that may have more (beyond it another term's
 * entries are not read yet). `next` is where the following step starts; undefined when none may have more.
 */
async function stepOf(
  db: CoreDb,
  terms: readonly string[],
  lower: PostKey,
  upper: PostKey,
  size: number,
): Promise<{ keys: PostKey[]; next?: PostKey }> {
  const index = db.transaction('search').store.index('terms');
  const per = await Promise.all(
    terms.map(async (term) => {
      const keys: PostKey[] = [];
      let c = await index.openKeyCursor(IDBKeyRange.only(term));
      // Resume after `lower`: jump to it (only forwards: continuePrimaryKey throws at or before where it is).
      if (c && compareKeys(c.primaryKey, lower) < 0) c = await c.continuePrimaryKey(term, lower);
      if (c && compareKeys(c.primaryKey, lower) === 0) c = await c.continue();
      for (; c && keys.length < size; c = await c.continue()) {
        if (compareKeys(c.primaryKey, upper) > 0) return { keys, more: false };
        keys.push(c.primaryKey);
      }
      return { keys, more: c !== null };
    }),
  );
  const cuts = per.filter((p) => p.more).map((p) => p.keys.at(-1)!);
  const next = cuts.length > 0 ? cuts.reduce((a, b) => (compareKeys(a, b) <= 0 ? a : b)) : undefined;
  const all = new Map<string, PostKey>();
  for (const p of per) for (const k of p.keys) if (!next || compareKeys(k, next) <= 0) all.set(k.join(), k);
  return { keys: [...all.values()].sort(compareKeys), ...(next && { next }) };
}
