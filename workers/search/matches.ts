/**
 * The post keys matching a query, in timeline order, a few at a time. Each
 * term of the query is a lookup on the `terms` index (a word, a word's
 * prefix, a tag, the media mark, or any of the authors `from:` names). The
 * lookup with the fewest entries (counted, not read) leads: its post keys
 * are walked in order and each is kept when its search row has the other
 * lookups' terms too. A single exact term is walked with a key cursor that
 * resumes where the last step stopped (index entries of one term are in post
 * key order), so a page of a common word reads about a page of entries, not
 * all of them; a prefix or several authors are read whole and sorted.
 */
import type { CoreDb, PostKey } from '../store/db.ts';
import { compareKeys } from '../store/post-rows.ts';
import { MEDIA_TERM, authorTerm, tagTerm } from '../store/search-terms.ts';
import type { SearchQuery } from './query.ts';

interface Lookup {
  readonly ranges: readonly IDBKeyRange[];
  /** The one term of an exact single-term lookup (walked by cursor). */
  readonly only?: string;
  readonly matches: (terms: readonly string[]) => boolean;
}

function exact(terms: readonly string[]): Lookup {
  return {
    ranges: terms.map((t) => IDBKeyRange.only(t)),
    ...(terms.length === 1 && { only: terms[0]! }),
    matches: (have) => terms.some((t) => have.includes(t)),
  };
}

function prefix(text: string): Lookup {
  return {
    ranges: [IDBKeyRange.bound(text, `${text}\uffff`)],
    matches: (have) => have.some((t) => t.startsWith(text)),
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

  if (lead.only !== undefined) {
    const term = lead.only;
    let done = false;
    return async (n) => {
      const found: PostKey[] = [];
      while (!done && found.length < n) {
        // A step of this term's entries after `lower`, in key order (a new transaction each: the rows are read between).
        const tx = db.transaction('search');
        let cursor = await tx.store.index('terms').openKeyCursor(IDBKeyRange.only(term));
        // Resume after `lower`: jump to it (only forwards: continuePrimaryKey throws at or before where it is).
        if (cursor && compareKeys(cursor.primaryKey, lower) < 0) cursor = await cursor.continuePrimaryKey(term, lower);
        if (cursor && compareKeys(cursor.primaryKey, lower) === 0) cursor = await cursor.continue();
        const step: PostKey[] = [];
        for (; cursor && step.length < Math.max(n, 64); cursor = await cursor.continue()) {
          if (compareKeys(cursor.primaryKey, upper) > 0) break;
          step.push(cursor.primaryKey);
        }
        if (!cursor || step.length < Math.max(n, 64)) done = true;
        if (step.length === 0) break;
        if (cursor && compareKeys(cursor.primaryKey, upper) > 0) done = true;
        lower = step.at(-1)!;
        found.push(...(await keep(step)));
      }
      return found;
    };
  }

  // A prefix or several terms: every entry read, deduplicated and sorted, then kept a step at a time.
  const all = new Map<string, PostKey>();
  for (const keys of await Promise.all(lead.ranges.map((r) => index.getAllKeys(r))))
    for (const k of keys) if (within(k)) all.set(k.join(), k);
  const sorted = [...all.values()].sort(compareKeys);
  let at = 0;
  return async (n) => {
    const found: PostKey[] = [];
    while (at < sorted.length && found.length < n) {
      const step = sorted.slice(at, at + Math.max(n, 64));
      at += step.length;
      found.push(...(await keep(step)));
    }
    return found;
  };
}
