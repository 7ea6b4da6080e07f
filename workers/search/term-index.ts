/**
 * The search index in memory, one per database a worker opens: each search
 * row's (store/db.ts SearchRow) terms, and for each term the posts holding
 * it. IndexedDB keeps the rows, one per post with its terms inline and one
 * entry in the `bySeq` index. Until v9 it also kept an index entry per term
 * and post (about 17 a post); writing those cost ingest 0.64x of the post
 * rows' own time and added 0.91x to the bytes a post takes on disk
 * (BENCHMARKS.md, search), where a term's postings in memory cost neither.
 *
 * Loaded whole at the first search, then each search first reads the rows
 * written since, by this worker or another tab's: a row's seq is taken in
 * its writing transaction from a counter in `meta` (store/search-rows.ts),
 * and IndexedDB runs transactions writing `meta` one at a time, so seqs rise
 * in commit order and no lower one commits after a reader passed it.
 *
 * A row written again (an edit's shown version) replaces the post's entry;
 * a deleted row leaves its entry here until the next load, so every hit is
 * confirmed on the post's own row before it is shown (search.ts hitsOf).
 */
import type { CoreDb, PostKey, SearchRow } from '../store/db.ts';
import { termsOfRow } from '../store/search-rows.ts';

/** Rows read per request while loading (bounds one structured clone's size). */
const LOAD_BATCH = 5000;
/** New terms scanned beside the sorted ones before all are sorted again (a sort of 100,000 takes ~50 ms). */
const UNSORTED_MAX = 2048;

export class TermIndex {
  /** Each entry's post key; an entry is a post's terms as of one row write. */
  readonly #keys: PostKey[] = [];
  /** 1 while an entry is its post's current one. */
  #current = new Uint8Array(1024);
  /** Each entry's key's first part (minus the post's time), for comparing keys without reading their arrays. */
  #firsts = new Float64Array(1024);
  readonly #entryOf = new Map<string, number>();
  readonly #postings = new Map<string, number[]>();
  /** Every term, sorted, as of the first prefix lookup (or the last that sorted them again). */
  #sorted: string[] | undefined;
  /** Terms first seen since `#sorted` was made: scanned, until there are enough to sort all again. */
  #unsorted: string[] = [];
  #replaced = 0;
  /** The highest row seq held (rows from before v9 have none). */
  seq = 0;

  /** Adds a row's terms, replacing what the post held. */
  add(row: SearchRow): void {
    const id = row.k.join();
    const old = this.#entryOf.get(id);
    if (old !== undefined) {
      this.#current[old] = 0;
      this.#replaced++;
    }
    const entry = this.#keys.length;
    this.#keys.push(row.k);
    if (entry === this.#current.length) {
      const current = new Uint8Array(entry * 2);
      current.set(this.#current);
      this.#current = current;
      const firsts = new Float64Array(entry * 2);
      firsts.set(this.#firsts);
      this.#firsts = firsts;
    }
    this.#current[entry] = 1;
    this.#firsts[entry] = row.k[0];
    this.#entryOf.set(id, entry);
    for (const term of termsOfRow(row)) {
      const docs = this.#postings.get(term);
      if (docs) docs.push(entry);
      else {
        this.#postings.set(term, [entry]);
        if (this.#sorted) this.#unsorted.push(term);
      }
    }
    if (row.s !== undefined && row.s > this.seq) this.seq = row.s;
  }

  /** Entries in all (current or replaced); entries are numbered 0 to size - 1. */
  get size(): number {
    return this.#keys.length;
  }

  /** True when more entries were replaced than are current: a load afresh is smaller. */
  get stale(): boolean {
    return this.#replaced > this.#keys.length - this.#replaced;
  }

  keyOf(entry: number): PostKey {
    return this.#keys[entry]!;
  }

  /** The entry's key's first part: keys whose first parts differ compare as those do. */
  firstOf(entry: number): number {
    return this.#firsts[entry]!;
  }

  isCurrent(entry: number): boolean {
    return this.#current[entry] === 1;
  }

  /** The current entries holding any of `terms`, each once. */
  entriesOf(terms: Iterable<string>): number[] {
    const lists: number[][] = [];
    for (const term of terms) {
      const docs = this.#postings.get(term);
      if (docs) lists.push(docs);
    }
    if (lists.length === 1)
      // With no entry replaced, every entry is current: a copy (callers may keep it) without a check each.
      return this.#replaced === 0 ? lists[0]!.slice() : lists[0]!.filter((e) => this.#current[e] === 1);
    const seen = new Uint8Array(this.#keys.length);
    const out: number[] = [];
    for (const docs of lists)
      for (const e of docs)
        if (this.#current[e] === 1 && seen[e] === 0) {
          seen[e] = 1;
          out.push(e);
        }
    return out;
  }

  /**
   * The indexed words starting with `prefix` (no tag, author or media term starts with a word character): a
   * query's last word is always a prefix (the person may still be typing), and a store holds 100,000 distinct
   * terms and more (names, numbers, pieces of links), so they are looked up in a sorted list, not scanned.
   */
  termsStartingWith(prefix: string): string[] {
    if (this.#sorted === undefined || this.#unsorted.length > UNSORTED_MAX) {
      this.#sorted = [...this.#postings.keys()].sort();
      this.#unsorted = [];
    }
    const sorted = this.#sorted;
    // The terms starting with a prefix lie together in code-unit order, from its lower bound on.
    let low = 0;
    let high = sorted.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (sorted[mid]! < prefix) low = mid + 1;
      else high = mid;
    }
    const terms: string[] = [];
    for (let i = low; i < sorted.length && sorted[i]!.startsWith(prefix); i++) terms.push(sorted[i]!);
    for (const term of this.#unsorted) if (term.startsWith(prefix)) terms.push(term);
    return terms;
  }

  /** Every current entry. */
  currentEntries(): number[] {
    const out: number[] = [];
    for (let e = 0; e < this.#keys.length; e++) if (this.#current[e] === 1) out.push(e);
    return out;
  }
}

const loaded = new WeakMap<CoreDb, Promise<TermIndex>>();

/**
 * The database's index, holding every row written so far: loaded at first use (or afresh when stale), else
 * brought up to date with the rows written since its highest seq. Calls queue, so one load serves them all.
 */
export function termIndexOf(db: CoreDb): Promise<TermIndex> {
  const before = loaded.get(db);
  const next = (async () => {
    const index = before && (await before.catch(() => undefined));
    if (!index || index.stale) return loadIndex(db);
    const rows = await db.getAllFromIndex('search', 'bySeq', IDBKeyRange.lowerBound(index.seq, true));
    for (const row of rows) index.add(row);
    return index;
  })();
  loaded.set(db, next);
  return next;
}

/** Forgets the database's index (the rows were cleared and written anew: search-index.ts rebuildSearchIndex). */
export function forgetTermIndex(db: CoreDb): void {
  loaded.delete(db);
}

/** Every row, in batches of one transaction (so the rows and their highest seq are one moment's). */
async function loadIndex(db: CoreDb): Promise<TermIndex> {
  const index = new TermIndex();
  const store = db.transaction('search').store;
  for (let range: IDBKeyRange | undefined; ; ) {
    const rows = await store.getAll(range, LOAD_BATCH);
    for (const row of rows) index.add(row);
    if (rows.length < LOAD_BATCH) return index;
    range = IDBKeyRange.lowerBound(rows.at(-1)!.k, true);
  }
}
