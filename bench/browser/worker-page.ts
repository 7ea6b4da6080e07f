// Bundled into a page by bench/chromium.ts (bench/worker.bench.ts): the core
// worker's ingest and timeline code on Chromium's real IndexedDB.
import { deleteDB } from 'idb';
import { encodeCanonical } from '../../src/protocol/canonical.ts';
import { buildCommit, decodeCommit } from '../../src/protocol/commits.ts';
import type { CommitId, PseudonymId } from '../../src/protocol/ids.ts';
import { type Verify, pickVerify, pseudonymOf, secretKeyFrom } from '../../src/protocol/keys.ts';
import { buildPost } from '../../src/protocol/objects.ts';
import { applyCommits } from '../../workers/store/commit-store.ts';
import type { VerifiedCommit } from '../../workers/store/apply-plan.ts';
import { type HeldPostRow, idOfKey, itemOf, seenBy, viewerTag } from '../../workers/store/post-rows.ts';
import { type CoreDb, openCoreDb } from '../../workers/store/db.ts';
import { createHubClient } from '../../workers/net/hub-client.ts';
import { ingestFeed } from '../../workers/feed/ingest.ts';
import { listTimeline } from '../../workers/read/timeline.ts';
import { packedPostCount } from '../../workers/store/lazy-posts.ts';
import { pooledVerify, verifyWorkersFor } from '../../workers/verify/verify-pool.ts';
import { makeCommits, verifyRound } from '../verify-scenario.ts';

const viewerKey = secretKeyFrom(new Uint8Array(32).fill(77));
const viewer = pseudonymOf(viewerKey);
let n = 0;

/** A fresh database holding the viewer, who follows `targets` (so ingest maintains timeline rows). */
async function viewerDb(name: string, targets: readonly PseudonymId[], hub: string): Promise<CoreDb> {
  await deleteDB(name);
  const db = await openCoreDb(name);
  await db.put('pseudonyms', { id: viewer, name: 'Viewer', hubs: [hub], createdAt: 0, secretKey: viewerKey });
  let parents: CommitId[] = [];
  for (let i = 0; i < targets.length; i += 64) {
    const ops = targets.slice(i, i + 64).map((target) => ({ type: 'follow' as const, target, hubs: [hub] }));
    const signed = buildCommit(viewerKey, { parents, seq: i / 64 + 1, ts: 1, ops });
    await applyCommits(db, [{ signed, blobs: [], posts: [] }]);
    parents = [signed.id];
  }
  return db;
}

const raw = makeCommits(2000);
const api = globalThis as unknown as Record<string, unknown>;

api.rawVerifyRound = async () => (await verifyRound(crypto.subtle, raw, () => performance.now())).rawPerSecond;

/** The verify worker's bundle (workers/verify/verify.worker.ts), given by the bench as a script's URL. */
let verifyWorkerUrl: string | undefined;
let verifyWorkers: number | undefined;
/** @param workers how many (default: as the core worker picks them) */
api.setVerifyWorker = (code: string, workers?: number) => {
  verifyWorkerUrl = URL.createObjectURL(new Blob([code], { type: 'text/javascript' }));
  verifyWorkers = workers;
};

/** The verifier the core worker uses (core.worker.ts): one pool for the page, as one per core worker. */
let pooled: Promise<Verify> | undefined;
function coreVerify(): Promise<Verify> {
  pooled ??= pickVerify().then((local) => {
    const workers = verifyWorkers ?? verifyWorkersFor(navigator.hardwareConcurrency);
    return verifyWorkerUrl ? pooledVerify(local, () => new Worker(verifyWorkerUrl!), { workers }) : local;
  });
  return pooled;
}

/** A fresh viewer database for the next ingest, made before it is timed (or profiled). */
let prepared: CoreDb | undefined;
async function prepareIngest(hub: string, author: PseudonymId): Promise<void> {
  prepared = await viewerDb(`ingest-${n++}`, [author], hub);
}

/** Ingest into the prepared database, timed. */
async function runIngest(hub: string, author: PseudonymId) {
  const db = prepared!;
  const verify = await coreVerify();
  const t = performance.now();
  const result = await ingestFeed(
    { db, verify, now: Date.now, hub: (o) => createHubClient(o, (u, i) => fetch(u, i)) },
    author,
    { hubs: [hub] },
  );
  return { result, seconds: (performance.now() - t) / 1000 };
}
api.prepareIngest = prepareIngest;
/**
 * A first ingest of another, shorter feed into a database dropped after: the
 * timed ingest then runs compiled code, as the raw verify it is measured
 * beside runs after a first, untimed round.
 */
api.warmIngest = async (hub: string, author: PseudonymId) => {
  await prepareIngest(hub, author);
  const db = prepared!;
  await runIngest(hub, author);
  db.close();
  await deleteDB(db.name);
};
api.runIngest = async (hub: string, author: PseudonymId) => (await runIngest(hub, author)).seconds;
/** A walk's result kept for applyOnly, so the apply can be profiled alone (for tuning; not recorded). */
let walked: { db: CoreDb; commits: readonly VerifiedCommit[] } | undefined;
api.walkOnly = async (hub: string, author: PseudonymId) => {
  const { heldStore, fetchHead, verifiedHead } = await import('../../workers/feed/ingest.ts');
  const { walkFeed, multiSource } = await import('../../workers/feed/dag-walk.ts');
  const db = await viewerDb(`walk-${n++}`, [author], hub);
  const verify = await coreVerify();
  const client = createHubClient(hub, (u, i) => fetch(u, i));
  const deps = { db, verify, now: Date.now, hub: () => client };
  const head = await verifiedHead(await fetchHead(deps, author, [hub]), author, verify);
  const walk = await walkFeed(multiSource([(ids) => client.batchBlobs(ids)]), heldStore(db, author), {
    author,
    tips: head.head.heads,
    verify,
    now: Date.now(),
  });
  walked = { db, commits: walk.commits };
};
/** Ms to store the kept walk as ingestFeed stores a first catch-up. */
api.applyOnly = async () => {
  const { storeWalked } = await import('../../workers/feed/ingest.ts');
  const t = performance.now();
  await storeWalked(walked!.db, walked!.commits, true);
  return performance.now() - t;
};

api.ingestRound = async (hub: string, author: PseudonymId) => {
  await prepareIngest(hub, author);
  const db = prepared!;
  const { result, seconds } = await runIngest(hub, author);
  const posts = await db.getAll('posts');
  const rows = posts.filter((r) => seenBy(r, viewerTag(viewer))).length;
  const packed = await packedPostCount(db);
  storedRows ??= { packs: await db.getAll('packs'), packBytes: await db.getAll('packBytes'), posts };
  // Then the whole feed read back, 50 at a time, to its end: the rows the ingest left for later are given on the way.
  const read = performance.now();
  let shown = 0;
  for (let cursor: { ts: number; id: string } | undefined; ; ) {
    const page = await listTimeline(db, viewer, { limit: 50, ...(cursor && { cursor: cursor as never }) });
    shown += page.length;
    if (page.length < 50) break;
    cursor = { ts: page.at(-1)!.ts, id: page.at(-1)!.id };
  }
  const readSeconds = (performance.now() - read) / 1000;
  db.close();
  await deleteDB(db.name);
  return {
    added: result.added,
    rows,
    packed,
    shown,
    perSecond: result.added / seconds,
    readPerSecond: shown / readSeconds,
  };
};

/** The commit and post rows this page's first ingest round stored. */
let storedRows: { packs: { ids: readonly string[] }[]; packBytes: unknown[]; posts: unknown[] } | undefined;

type FloorStore = 'packs' | 'packBytes' | 'posts';

/** Seconds to write the stored rows of `stores` into a fresh database in one relaxed transaction. */
async function writeStored(stores: readonly FloorStore[]): Promise<number> {
  const name = `floor-${n++}`;
  await deleteDB(name);
  const db = await openCoreDb(name);
  const t = performance.now();
  const tx = db.transaction(stores, 'readwrite', { durability: 'relaxed' });
  for (const store of stores) for (const row of storedRows![store]) void tx.objectStore(store).put(row as never);
  await tx.done;
  const seconds = (performance.now() - t) / 1000;
  db.close();
  await deleteDB(name);
  return seconds;
}

/**
 * The floor under ingest as built: its commit packs and post rows, the same
 * rows written into a fresh database in one transaction, nothing fetched,
 * verified or read. Commits/s.
 */
api.storeFloorRound = async () => {
  const seconds = await writeStored(['packs', 'packBytes', 'posts']);
  return storedRows!.packs.reduce((sum, p) => sum + p.ids.length, 0) / seconds;
};

/** The floor store by store, in ms (for tuning; not recorded). */
api.floorParts = async () => {
  const out: Record<string, number> = {};
  for (const store of ['packs', 'packBytes', 'posts'] as const) out[store] = (await writeStored([store])) * 1000;
  return out;
};

let seeded: CoreDb | undefined;
let plain: Awaited<ReturnType<typeof openPlain>> | undefined;
let middle = 0;

/**
 * `feeds` followed feeds of `perFeed` posts each, stored through applyCommits
 * (the ingest write path). Seeding skips signing (a fixed fake signature):
 * the store never looks at signatures, and 100,000 signatures would only slow the setup.
 */
api.seedTimeline = async (feeds: number, perFeed: number) => {
  const keys = Array.from({ length: feeds }, (_, f) =>
    secretKeyFrom(new Uint8Array(32).fill(0).map((_, i) => (i === 0 ? 1 + (f >> 8) : i === 1 ? f & 255 : 9))),
  );
  const authors = keys.map((k) => pseudonymOf(k));
  seeded = await viewerDb('timeline-bench', authors, 'http://127.0.0.1:1');
  const base = 1_767_225_600_000;
  for (let f = 0; f < feeds; f++) {
    const author = authors[f]!;
    const items = [];
    let parent: CommitId | undefined;
    for (let i = 0; i < perFeed; i++) {
      const ts = base + (i * feeds + f) * 1000;
      const post = buildPost({
        author,
        body: `post ${i} of feed ${f}: a sentence of ordinary length to stand for a real post.`,
        ts,
      });
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
      items.push({ signed, blobs: [{ id: post.id, bytes: post.bytes }], posts: [post] });
      parent = signed.id;
    }
    await applyCommits(seeded, items);
  }
  // The baseline: a plain store holding the finished items (what a page returns), keyed by a number.
  const all = ((await seeded.getAll('posts')) as HeldPostRow[]).filter((r) => seenBy(r, viewerTag(viewer)));
  plain = await openPlain();
  const tx = plain.transaction('rows', 'readwrite');
  all.forEach((row, i) => void tx.store.put({ n: i, item: itemOf(row, viewer) }));
  middle = Math.floor(all.length / 2);
  await tx.done;
  return { rows: all.length, posts: await seeded.countFromIndex('posts', 'byAuthorTs') };
};

async function openPlain() {
  await deleteDB('plain-bench');
  const { openDB } = await import('idb');
  return openDB<{ rows: { key: number; value: { n: number; item: unknown } } }>('plain-bench', 1, {
    upgrade(db) {
      db.createObjectStore('rows', { keyPath: 'n' });
    },
  });
}

/** Milliseconds per first page (50 items), over `calls` calls. */
api.timelineRound = async (calls: number) => {
  const t = performance.now();
  for (let i = 0; i < calls; i++) {
    const page = await listTimeline(seeded!, viewer, { limit: 50 });
    if (page.length !== 50) throw new Error(`page of ${page.length}`);
  }
  return (performance.now() - t) / calls;
};

api.plainRound = async (calls: number) => {
  const t = performance.now();
  for (let i = 0; i < calls; i++) {
    const rows = await plain!.getAll('rows', IDBKeyRange.lowerBound(middle), 50);
    if (rows.length !== 50) throw new Error(`page of ${rows.length}`);
  }
  return (performance.now() - t) / calls;
};

/**
 * Bytes stored per post in every store that holds something of it, beside its
 * canonical bytes (post object + its commit): its post row (which carries its
 * view and the viewers whose timeline shows it), its commit's row or share of
 * its pack, and any blob row under either id.
 */
api.bytesPerPost = async (sample: number) => {
  const db = seeded!;
  const size = (value: unknown): number => {
    if (value instanceof Uint8Array) return value.byteLength;
    if (typeof value === 'string') return new TextEncoder().encode(value).length;
    if (typeof value === 'number' || typeof value === 'boolean') return 8;
    if (Array.isArray(value)) return value.reduce((s: number, v) => s + size(v), 0);
    if (value && typeof value === 'object')
      return Object.entries(value).reduce((s, [k, v]) => s + k.length + size(v), 0);
    return 0;
  };
  const posts = ((await db.getAll('posts')) as HeldPostRow[]).filter((p) => p.text !== undefined).slice(0, sample);
  // Ingested commits live in packs (workers/store/commit-packs.ts):
  // each commit is charged its share of its pack's two rows.
  const [packs, packBytes] = await Promise.all([db.getAll('packs'), db.getAll('packBytes')]);
  const packed = new Map<CommitId, { bytes: number; share: number }>();
  packs.forEach((pack, p) => {
    const row = packBytes[p]!;
    const share = (size(pack) + size(row)) / pack.ids.length;
    pack.ids.forEach((id, i) => {
      packed.set(id, { bytes: row.ends[i]! - (i === 0 ? 0 : row.ends[i - 1]!), share });
    });
  });
  const totals = { canonical: 0, blobs: 0, commitRows: 0, postRows: 0, viewers: 0 };
  for (const post of posts) {
    const commitId = idOfKey(post.c) as CommitId;
    const [postBlob, commitBlob, commitRow] = await Promise.all([
      db.get('blobs', post.id),
      db.get('blobs', commitId),
      db.get('commits', commitId),
    ]);
    const inPack = packed.get(commitId);
    totals.canonical += new TextEncoder().encode(post.text).length + (commitRow?.bytes.byteLength ?? inPack!.bytes);
    totals.blobs += size(postBlob) + size(commitBlob);
    totals.commitRows += commitRow ? size(commitRow) : inPack!.share;
    totals.postRows += size(post);
    totals.viewers += size({ vw: post.vw });
  }
  return Object.fromEntries(Object.entries(totals).map(([k, v]) => [k, v / posts.length]));
};

/** Where an ingest's time goes (for tuning; not recorded). */
api.ingestProfile = async (hub: string, author: PseudonymId) => {
  const { feedLogHints, heldStore, fetchHead, verifiedHead, storeWalked } = await import(
    '../../workers/feed/ingest.ts'
  );
  const { walkFeed, multiSource } = await import('../../workers/feed/dag-walk.ts');
  const name = `profile-${n++}`;
  const db = await viewerDb(name, [author], hub);
  const verify = await coreVerify();
  const client = createHubClient(hub, (u, i) => fetch(u, i));
  const deps = { db, verify, now: Date.now, hub: () => client };
  const times: Record<string, number> = {};
  let t = performance.now();
  const lap = (k: string) => {
    const now = performance.now();
    times[k] = now - t;
    t = now;
  };
  const head = await verifiedHead(await fetchHead(deps, author, [hub]), author, verify);
  lap('head');
  const source = multiSource([(ids) => client.batchBlobs(ids)]);
  const segments: CommitId[][] = [];
  for await (const segment of feedLogHints(source, db, author, head.head.log!, false)) segments.push(segment);
  lap('log');
  const walk = await walkFeed(source, heldStore(db, author), {
    author,
    tips: head.head.heads,
    hints: (async function* () {
      yield* segments;
    })(),
    verify,
    now: Date.now(),
  });
  lap('walk (log already read)');
  await storeWalked(db, walk.commits, true);
  lap('apply');
  const fetchT = performance.now();
  await client.batchBlobs(walk.commits.slice(0, 512).map((c) => c.signed.id));
  times.oneBatchFetch = performance.now() - fetchT;
  db.close();
  await deleteDB(name);
  return times;
};

/** Where a first page's time goes (for tuning; not recorded). */
api.timelineProfile = async (calls: number) => {
  const db = seeded!;
  const v = viewerTag(viewer);
  const range = IDBKeyRange.lowerBound([-Infinity]);
  const time = async (f: () => Promise<unknown>) => {
    const t = performance.now();
    for (let i = 0; i < calls; i++) await f();
    return (performance.now() - t) / calls;
  };
  const rows = (await db.getAll('posts', range, 50)) as HeldPostRow[];
  return {
    storeGetAll: await time(() => db.getAll('posts', range, 50)),
    viewer: v.length,
    itemsOnly: await time(async () => rows.map((r) => itemOf(r, viewer))),
    listTimeline: await time(() => listTimeline(db, viewer, { limit: 50 })),
    plain: await time(() => plain!.getAll('rows', IDBKeyRange.lowerBound(middle), 50)),
  };
};
