// Bundled into a page by bench/worker.bench.ts: the core worker's ingest code on
// Chromium's real IndexedDB, beside raw verifies on one thread and on as many
// workers as ingest verifies on; the timeline and bytes scenarios are in
// timeline-page.ts and bytes-page.ts, bundled with it.
import { deleteDB } from 'idb';
import { fromHex } from '../../src/protocol/bytes.ts';
import { encodeCanonical } from '../../src/protocol/canonical.ts';
import type { CommitId, PseudonymId } from '../../src/protocol/ids.ts';
import { type Verify, pickVerify, pseudonymOf } from '../../src/protocol/keys.ts';
import type { VerifiedCommit } from '../../workers/store/apply-plan.ts';
import { seenBy, viewerTag } from '../../workers/store/post-rows.ts';
import { type CoreDb, openCoreDb } from '../../workers/store/db.ts';
import { createHubClient } from '../../workers/net/hub-client.ts';
import { ingestFeed } from '../../workers/feed/ingest.ts';
import { listTimeline } from '../../workers/read/timeline.ts';
import { packedPostCount } from '../../workers/store/lazy-posts.ts';
import { pooledVerify, verifyWorkersFor } from '../../workers/verify/verify-pool.ts';
import { makeCommits, verifyRound } from '../verify-scenario.ts';
import { viewer, viewerDb } from './viewer-db.ts';
import './timeline-page.ts';
import './bytes-page.ts';

let n = 0;

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

/** How many verify workers ingest uses in this page. */
const workerCount = () => verifyWorkers ?? verifyWorkersFor(navigator.hardwareConcurrency);
api.verifyWorkerCount = workerCount;

/**
 * Raw verifies on as many workers as ingest verifies on: each worker imports
 * the key once and verifies its share of the signatures at once, as the
 * page's raw round does on one thread. Classic workers from one Blob URL.
 */
const RAW_WORKER = `self.onmessage = async (e) => {
  const { publicKey, pairs } = e.data;
  const key = await crypto.subtle.importKey('raw', publicKey, { name: 'Ed25519' }, false, ['verify']);
  const ok = await Promise.all(pairs.map(([sig, msg]) => crypto.subtle.verify({ name: 'Ed25519' }, key, sig, msg)));
  self.postMessage(ok.every(Boolean));
};`;
let rawWorkers: Worker[] | undefined;
/** Raw verifies per second on workerCount() workers, from the first message sent to the last answer. */
api.rawWorkersRound = async () => {
  rawWorkers ??= Array.from(
    { length: workerCount() },
    () => new Worker(URL.createObjectURL(new Blob([RAW_WORKER], { type: 'text/javascript' }))),
  );
  const publicKey = fromHex(pseudonymOf(fromHex('07'.repeat(32))));
  const pairs = raw.map((c) => [fromHex(c.sig), encodeCanonical(c.signed.fields)] as const);
  const share = Math.ceil(pairs.length / rawWorkers.length);
  const t = performance.now();
  const answers = await Promise.all(
    rawWorkers.map(
      (worker, w) =>
        new Promise<boolean>((resolve) => {
          worker.onmessage = (e: MessageEvent<boolean>) => resolve(e.data);
          worker.postMessage({ publicKey, pairs: pairs.slice(w * share, (w + 1) * share) });
        }),
    ),
  );
  const seconds = (performance.now() - t) / 1000;
  if (!answers.every(Boolean)) throw new Error('a benchmark signature failed to verify');
  return pairs.length / seconds;
};

/** A fresh viewer database for the next ingest, made before it is timed (or profiled). */
let prepared: CoreDb | undefined;
async function prepareIngest(hub: string, author: PseudonymId): Promise<void> {
  prepared = await viewerDb(`ingest-${n++}`, [author], hub);
}

/**
 * Ingest into the prepared database, timed.
 * @param slowed the positive control: each signature verified three times over (on the same verify workers)
 */
async function runIngest(hub: string, author: PseudonymId, slowed = false) {
  const db = prepared!;
  const pool = await coreVerify();
  const verify: Verify = slowed
    ? (...args) => Promise.all([pool(...args), pool(...args), pool(...args)]).then((ok) => ok.every(Boolean))
    : pool;
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
/** The ingest row's positive control: a fresh database, ingest with a slowed verify; commits/s. */
api.slowedIngestRound = async (hub: string, author: PseudonymId) => {
  await prepareIngest(hub, author);
  const db = prepared!;
  const { result, seconds } = await runIngest(hub, author, true);
  db.close();
  await deleteDB(db.name);
  return result.added / seconds;
};
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
  for await (const segment of feedLogHints(source, db, author, head.head.log!, false, head.head.seq))
    segments.push(segment);
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
