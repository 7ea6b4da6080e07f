/**
 * Reading one term's entries of the `terms` index (store/db.ts SearchRow) in
 * post key order, a step at a time, for the query plans (matches.ts). A
 * term's entries are in post key order, but an index range bounds only the
 * term, so a walk resumes in one of two ways: from the top (a first page
 * without `until:`), it knows how many entries lie behind it and reads them
 * and the next ones with one getAllKeys (in Chromium a key read so costs
 * about a third of a cursor step and a twelfth of a row get); from elsewhere,
 * a key cursor jumps to where it stopped and steps from there.
 */
import type { IDBPIndex } from 'idb';
import type { CoreSchema, PostKey } from '../store/db.ts';
import { compareKeys } from '../store/post-rows.ts';

export type TermsIndex = IDBPIndex<CoreSchema, ['search'], 'search', 'terms'>;

/** One term's walk: `behind` counts its entries at or before where the walk is, when known (from the top). */
export interface TermWalk {
  readonly term: string;
  behind?: number;
  /** Past this many entries behind it, the walk stops reading from the top and jumps with a cursor. */
  readonly maxBehind: number;
}

export function walksOf(terms: readonly string[], fromTop: boolean, maxBehind: number): TermWalk[] {
  return terms.map((term) => (fromTop ? { term, behind: 0, maxBehind } : { term, maxBehind }));
}

/**
 * Up to `size` entries of the walk's term after `lower`, to `upper`, in key order (from the top, a few at or
 * before `lower` may come too: they match nothing the caller asks); `more` when it may have more to `upper`.
 */
async function entriesAfter(
  index: TermsIndex,
  walk: TermWalk,
  lower: PostKey,
  upper: PostKey,
  size: number,
): Promise<{ keys: PostKey[]; more: boolean }> {
  // Each getAllKeys reads again what lies behind: once that is more than the step, a cursor's jump is cheaper.
  if (walk.behind !== undefined && walk.behind > walk.maxBehind) delete walk.behind;
  if (walk.behind !== undefined) {
    const all = await index.getAllKeys(IDBKeyRange.only(walk.term), walk.behind + size);
    const keys = all.slice(walk.behind);
    const end = keys.findIndex((k) => compareKeys(k, upper) > 0);
    return end >= 0 ? { keys: keys.slice(0, end), more: false } : { keys, more: all.length === walk.behind + size };
  }
  const keys: PostKey[] = [];
  let c = await index.openKeyCursor(IDBKeyRange.only(walk.term));
  // Jump to `lower` (only forwards: continuePrimaryKey throws at or before where the cursor is).
  if (c && compareKeys(c.primaryKey, lower) < 0) c = await c.continuePrimaryKey(walk.term, lower);
  if (c && compareKeys(c.primaryKey, lower) === 0) c = await c.continue();
  for (; c && keys.length < size; c = await c.continue()) {
    if (compareKeys(c.primaryKey, upper) > 0) return { keys, more: false };
    keys.push(c.primaryKey);
  }
  return { keys, more: c !== null };
}

/** The walk moves to `to`: of `keys` (what it read after where it was), those at or before `to` are behind it. */
function advance(walk: TermWalk, keys: readonly PostKey[], to: PostKey): void {
  if (walk.behind !== undefined) walk.behind += keys.filter((k) => compareKeys(k, to) <= 0).length;
}

/**
 * The next post keys after `lower` (to `upper`) having any of the walks' terms, in key order: up to `size`
 * entries of each term, merged, cut at the least last key of the terms that may have more (beyond it another
 * term's entries are not read yet). `next` is where the following step starts; undefined when none may have
 * more. The walks move to `next`.
 */
export async function stepOf(
  index: TermsIndex,
  walks: readonly TermWalk[],
  lower: PostKey,
  upper: PostKey,
  size: number,
): Promise<{ keys: PostKey[]; next?: PostKey }> {
  const per = await Promise.all(walks.map((w) => entriesAfter(index, w, lower, upper, size)));
  const cuts = per.filter((p) => p.more).map((p) => p.keys.at(-1)!);
  const next = cuts.length > 0 ? cuts.reduce((a, b) => (compareKeys(a, b) <= 0 ? a : b)) : undefined;
  const all = new Map<string, PostKey>();
  for (const [i, p] of per.entries()) {
    if (next) advance(walks[i]!, p.keys, next);
    for (const k of p.keys) if (compareKeys(k, lower) > 0 && (!next || compareKeys(k, next) <= 0)) all.set(k.join(), k);
  }
  return { keys: [...all.values()].sort(compareKeys), ...(next && { next }) };
}

/**
 * Every post key after `lower`, to `to`, having any of the walks' terms (as a set of `k.join()`), read in
 * steps that start at `size` entries a term and double; the walks move to `to`.
 */
export async function keysThrough(
  index: TermsIndex,
  walks: readonly TermWalk[],
  lower: PostKey,
  to: PostKey,
  size: number,
): Promise<Set<string>> {
  if (size < 1) throw new RangeError('keysThrough: size must be at least 1 (a getAllKeys count of 0 is no limit)');
  const found = new Set<string>();
  await Promise.all(
    walks.map(async (walk) => {
      for (let n = size; ; n *= 2) {
        const { keys, more } = await entriesAfter(index, walk, lower, to, n);
        if (more) continue;
        advance(walk, keys, to);
        for (const k of keys) found.add(k.join());
        return;
      }
    }),
  );
  return found;
}
