// Bundled into a page by bench/chromium.ts (bench/search.bench.ts): local search (workers/search/) over posts
// stored through the core's own applyCommits on Chromium's real IndexedDB, beside a linear scan of the same rows.
import { deleteDB } from 'idb';
import { encodeCanonical } from '../../src/protocol/canonical.ts';
import { buildCommit, decodeCommit } from '../../src/protocol/commits.ts';
import type { CommitId, PseudonymId } from '../../src/protocol/ids.ts';
import { pseudonymOf, secretKeyFrom } from '../../src/protocol/keys.ts';
import { buildPost } from '../../src/protocol/objects.ts';
import { applyCommits } from '../../workers/store/commit-store.ts';
import { type CoreDb, type PostRow, type SearchRow, openCoreDb } from '../../workers/store/db.ts';
import { type HeldPostRow, isHeldPost, itemOf, postValueOf, seenBy, viewerTag } from '../../workers/store/post-rows.ts';
import { SEARCH_SEQ, searchRowOf, termsOfRow } from '../../workers/store/search-rows.ts';
import { wordsOf } from '../../workers/store/search-terms.ts';
import { parseQuery } from '../../workers/search/query.ts';
import { ensureSearchIndex } from '../../workers/search/search-index.ts';
import { type Keep, searchPosts } from '../../workers/search/search.ts';

const viewerKey = secretKeyFrom(new Uint8Array(32).fill(77));
const viewer = pseudonymOf(viewerKey);
const api = globalThis as unknown as Record<string, unknown>;
const NOW = 1_800_000_000_000;
let db: CoreDb | undefined;

/** Words with a long tail: word w is used about 1/(w+1) as often as word 0. */
const VOCAB = Array.from({ length: 5000 }, (_, w) => `w${w.toString(36)}x${'aeiou'[w % 5]}${(w * 7919) % 997}`);
let seed = 1;
const rnd = () => {
  seed = (seed * 48271) % 2147483647;
  return seed / 2147483647;
};
const word = () => VOCAB[Math.floor(Math.exp(rnd() * Math.log(VOCAB.length))) - 1]!;

function body(i: number): string {
  const words = Array.from({ length: 8 + (i % 17) }, word);
  if (i % 50 === 0) words.push(`#tag${i % 7}`);
  return words.join(' ');
}

/** `feeds` x `perFeed` posts, one chain per feed, stored as ingested (packed, with rows for the newest). */
api.seedSearch = async (feeds: number, perFeed: number) => {
  const seeded = await seedInto('search-bench', feeds, perFeed);
  db = seeded.db;
  return {
    posts: feeds * perFeed,
    applyMs: seeded.applyMs,
    canonicalPerPost: seeded.canonical / (feeds * perFeed),
    searchRows: await db.count('search'),
  };
};

/**
 * How a seed writes the search store: as the app does; not at all (each put becomes a count request, so
 * the write's promise settles and nothing is stored: the baseline of the ingest and disk rows; the read and
 * write of the rows' seq counter too); or as the app does and a record per term besides, keyed by the post's key
 * and the term, as v8's `terms` index kept (their positive controls). Everything else is written as the app
 * writes it.
 */
export type SearchWrites = 'app' | 'none' | 'perTerm';
const realPut = IDBObjectStore.prototype.put;
const realGet = IDBObjectStore.prototype.get;

/** True for the search store, and in `meta` for the search rows' seq counter (store/search-rows.ts). */
const isSearchWrite = (store: IDBObjectStore, value: unknown, key?: unknown) =>
  store.name === 'search' ||
  (store.name === 'meta' && (key ?? (value as { key?: unknown } | undefined)?.key) === SEARCH_SEQ);

function writeSearchAs(mode: SearchWrites): void {
  IDBObjectStore.prototype.put =
    mode === 'app'
      ? realPut
      : function (this: IDBObjectStore, value: unknown, key?: IDBValidKey) {
          if (!isSearchWrite(this, value, key)) return realPut.call(this, value, key);
          if (mode === 'none') return this.count() as unknown as IDBRequest<IDBValidKey>;
          if (this.name === 'search') for (const entry of entriesOf(value as SearchRow)) realPut.call(this, entry);
          return realPut.call(this, value, key);
        };
  IDBObjectStore.prototype.get =
    mode === 'none'
      ? function (this: IDBObjectStore, query: IDBValidKey | IDBKeyRange) {
          return isSearchWrite(this, undefined, query) ? this.count() : realGet.call(this, query);
        }
      : realGet;
}

/**
 * One round of the ingest row: `feeds` x `perFeed` posts stored into a fresh database with the search
 * store written as `mode` says; the milliseconds applyCommits took.
 */
api.applyRound = async (feeds: number, perFeed: number, mode: SearchWrites) => {
  writeSearchAs(mode);
  try {
    const seeded = await seedInto('search-ingest', feeds, perFeed);
    seeded.db.close();
    return seeded.applyMs;
  } finally {
    writeSearchAs('app');
  }
};

/** An empty core database (its schema made), as the store is before any post, for the disk measure. */
api.openEmptyDisk = async () => (await openCoreDb('search-disk')).close();

/** The disk measure's store (bench/search/disk-rounds.ts): seeded with the search store written as `mode`, closed. */
api.seedDisk = async (feeds: number, perFeed: number, mode: SearchWrites) => {
  writeSearchAs(mode);
  try {
    const seeded = await seedInto('search-disk', feeds, perFeed, false);
    seeded.db.close();
    return { posts: feeds * perFeed };
  } finally {
    writeSearchAs('app');
  }
};

/** Stores `feeds` x `perFeed` posts into the database `name` (made afresh when `fresh`) as the app ingests them. */
async function seedInto(name: string, feeds: number, perFeed: number, fresh = true) {
  seed = 1;
  if (fresh) await deleteDB(name);
  const db = await openCoreDb(name);
  const keys = Array.from({ length: feeds }, (_, f) =>
    secretKeyFrom(new Uint8Array(32).fill(0).map((_, i) => (i === 0 ? 1 + (f >> 8) : i === 1 ? f & 255 : 9))),
  );
  const authors = keys.map((k) => pseudonymOf(k));
  await db.put('pseudonyms', {
    id: viewer,
    name: 'Viewer',
    hubs: ['http://127.0.0.1:1'],
    createdAt: 0,
    secretKey: viewerKey,
  });
  let parents: CommitId[] = [];
  for (let i = 0; i < authors.length; i += 64) {
    const ops = authors.slice(i, i + 64).map((target) => ({ type: 'follow' as const, target, hubs: ['http://x'] }));
    const signed = buildCommit(viewerKey, { parents, seq: i / 64 + 1, ts: 1, ops });
    await applyCommits(db, [{ signed, blobs: [], posts: [] }]);
    parents = [signed.id];
  }
  await ensureSearchIndex(db); // the mark, so searches below never rebuild
  let applyMs = 0;
  let canonical = 0;
  for (let f = 0; f < feeds; f++) {
    const author = authors[f]! as PseudonymId;
    const items = [];
    let parent: CommitId | undefined;
    for (let i = 0; i < perFeed; i++) {
      const ts = NOW - 1e9 + (i * feeds + f) * 1000;
      const post = buildPost({ author, body: body(i * feeds + f), ts });
      // Signatures are not made for the seed: the store never reads them.
      const fields = {
        type: 'commit',
        author,
        parents: parent ? [parent] : [],
        seq: i + 1,
        ts,
        ops: [{ type: 'post', object: post.id }],
        sig: 'ab'.repeat(64),
      };
      const signed = decodeCommit(encodeCanonical(fields));
      canonical += post.bytes.length + signed.bytes.length;
      items.push({ signed, blobs: [{ id: post.id, bytes: post.bytes }], posts: [post] });
      parent = signed.id;
    }
    const t = performance.now();
    await applyCommits(db, items);
    applyMs += performance.now() - t;
  }
  return { db, applyMs, canonical };
}

/** The queries timed: rare, middling and common words, prefixes, two words, a tag, a date span. */
api.searchQueries = () => [
  VOCAB[4000]!,
  VOCAB[300]!,
  VOCAB[5]!,
  `${VOCAB[700]!.slice(0, 4)}`,
  `${VOCAB[20]} ${VOCAB[40]}`,
  `${VOCAB[2]} ${VOCAB[3000]}`,
  '#tag3',
  `${VOCAB[9]} since:3d`,
  `${VOCAB[1200]}*`,
  VOCAB[4999]!,
];

/** Search rows the control has read: the bench checks that its fault ran, apart from any timing. */
let readByControl = 0;
api.readByControl = () => readByControl;

/**
 * The p95 row's positive control, a search that does not get the index's saving: the app's own `keep` step
 * (mutes and blocks, applied to each step's hits) also reads every search row, as a search matching the rows
 * without their index would.
 */
const readingEverything: Keep = async (items) => {
  readByControl += (await db!.getAll('search')).length;
  return [...items];
};

/** Milliseconds of one search on a connection opened for it (so its index in memory loads first). */
api.firstSearchMs = async (query: string) => {
  const fresh = await openCoreDb('search-bench');
  try {
    const t = performance.now();
    await searchPosts(fresh, { viewer, query, page: { limit: 50 }, now: NOW });
    return performance.now() - t;
  } finally {
    fresh.close();
  }
};

/** Milliseconds of each search (first page of 50), `times` times each query; `slowed` for the control. */
api.searchRound = async (queries: string[], times: number, slowed = false) => {
  const ms: number[] = [];
  for (let r = 0; r < times; r++)
    for (const query of queries) {
      const t = performance.now();
      await searchPosts(db!, {
        viewer,
        query,
        page: { limit: 50 },
        now: NOW,
        ...(slowed && { keep: readingEverything }),
      });
      ms.push(performance.now() - t);
    }
  return ms;
};

/**
 * The baseline: the same first page without the index, scanning the post store newest first (as the
 * timeline reads it, so a common word stops early) and matching each shown body's words against the query.
 * Posts kept only in packs are not scanned (an advantage to the baseline: it reads fewer rows).
 */
async function scan(query: string, limit: number): Promise<string[]> {
  const q = parseQuery(query, NOW);
  const v = viewerTag(viewer);
  const found: string[] = [];
  let range: IDBKeyRange | undefined;
  for (;;) {
    const batch: PostRow[] = await db!.getAll('posts', range, 500);
    for (const row of batch) {
      if (!isHeldPost(row) || row.del || !seenBy(row, v)) continue;
      const value = postValueOf(row);
      if (q.since !== undefined && value.ts < q.since) continue;
      const body = row.eb ?? value.body;
      const words = new Set(wordsOf(body));
      const tags: string[] = body.toLowerCase().match(/#[\p{L}\p{N}_]+/gu) ?? [];
      const ok =
        q.words.every((w) => (w.prefix ? [...words].some((x) => x.startsWith(w.text)) : words.has(w.text))) &&
        q.tags.every((t) => tags.includes(`#${t}`));
      if (ok) found.push(itemOf(row as HeldPostRow, viewer).id);
      if (found.length === limit) return found;
    }
    if (batch.length < 500) return found;
    range = IDBKeyRange.lowerBound(batch.at(-1)!.k, true);
  }
}

api.scanRound = async (queries: string[], times: number) => {
  const ms: number[] = [];
  for (let r = 0; r < times; r++)
    for (const query of queries) {
      const t = performance.now();
      await scan(query, 50);
      ms.push(performance.now() - t);
    }
  return ms;
};

/**
 * The positive control: search and the scan give the same first pages (the scan after every post has a row,
 * so both see the same posts). Returns the number of queries compared and of hits.
 */
api.sameAnswers = async (queries: string[]) => {
  let hits = 0;
  for (const query of queries) {
    const { items } = await searchPosts(db!, { viewer, query, page: { limit: 50 }, now: NOW });
    const scanned = await scan(query, 50);
    if (JSON.stringify(items.map((i) => i.id)) !== JSON.stringify(scanned))
      throw new Error(`search and scan differ for ${query}: ${items.length} beside ${scanned.length}`);
    hits += items.length;
  }
  return hits;
};

/** Gives every packed post its row (a full read to the end), so the scan and search see the same posts. */
api.rowsForAll = async () => {
  const { rowsThrough } = await import('../../workers/store/lazy-posts.ts');
  const { marksOf } = await import('../../workers/store/lazy-marks.ts');
  await rowsThrough(db!, Object.keys(await marksOf(db!)) as PseudonymId[], undefined);
  return db!.countFromIndex('posts', 'byAuthorTs');
};

/** Bytes a value holds as IndexedDB would be given it: strings as UTF-8, numbers 8, field names included. */
function sizeOf(value: unknown): number {
  if (typeof value === 'string') return new TextEncoder().encode(value).length;
  if (typeof value === 'number') return 8;
  if (Array.isArray(value)) return value.reduce((n: number, x) => n + sizeOf(x), 0);
  if (value && typeof value === 'object')
    return Object.entries(value).reduce((n, [k, x]) => n + k.length + sizeOf(x), 0);
  return 1;
}

/** The ingest and disk rows' positive control: a record per term, keyed [...post key, term] (v8's index entries). */
const entriesOf = (row: SearchRow): { k: unknown[]; w: string }[] =>
  termsOfRow(row).map((term) => ({ k: [...row.k, term], w: '' }));

/**
 * Per post over a sample: the search row with its one index entry (its seq, with the post's key), beside what
 * the store keeps for the post otherwise (its post row, and its commit's signed bytes in a pack).
 */
api.searchBytes = async (sample: number, canonicalPerPost: number) => {
  const rows = (await db!.getAll('posts', undefined, sample)).filter(isHeldPost);
  let search = 0;
  let stored = 0;
  for (const row of rows) {
    const s = { ...searchRowOf(row)!, s: 1 };
    search += sizeOf(s) + sizeOf(s.s) + sizeOf(s.k);
    const commit = canonicalPerPost - new TextEncoder().encode(row.text).length;
    stored += sizeOf(row) + commit;
  }
  return { search: search / rows.length, stored: stored / rows.length };
};
