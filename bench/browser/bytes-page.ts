// Bundled into the worker bench's page (worker-page.ts imports it): bytes
// stored per post, as a JavaScript estimate of the rows' fields beside the
// post's canonical bytes, and the stores the disk measure fills in a fresh
// profile (bench/worker/disk-bytes.ts reads the folder).
import { openDB } from 'idb';
import type { CommitId } from '../../src/protocol/ids.ts';
import { type HeldPostRow, idOfKey } from '../../workers/store/post-rows.ts';
import { seedEasy, stores } from './timeline-page.ts';

const api = globalThis as unknown as Record<string, unknown>;

/**
 * Bytes stored per post in every store that holds something of it, beside its
 * canonical bytes (post object + its commit): its post row (which carries its
 * view and the viewers whose timeline shows it), its commit's row or share of
 * its pack, and any blob row under either id. IndexedDB's own overhead (its
 * copies of index keys, its file format) is not visible from here.
 */
api.bytesPerPost = async (sample: number, name = 'easy') => {
  const db = stores[name]!.db;
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

/** The origin's usage as the browser reports it (navigator.storage.estimate), in bytes. */
api.usage = async () => (await navigator.storage.estimate()).usage ?? 0;

/** An empty core database (its schema made), as the store is before any post. */
api.openEmpty = async () => {
  (await seedEasy('disk-bench', 0, 0)).close();
};

/** The disk measure's store: as the easy one, into 'disk-bench'; closed after, so its files are whole. */
api.seedDisk = async (feeds: number, perFeed: number) => {
  const db = await seedEasy('disk-bench', feeds, perFeed);
  stores.disk = { db, middle: 0 };
  return { posts: await db.countFromIndex('posts', 'byAuthorTs') };
};

/**
 * The positive control of the disk measure: one more index on the post
 * store (its canonical text, a key of about the post's size per post),
 * built over the rows seeded; then the database is closed.
 */
api.addExtraIndex = async () => {
  const db = stores.disk!.db;
  const version = db.version;
  db.close();
  const again = await openDB('disk-bench', version + 1, {
    upgrade(_db, _old, _new, tx) {
      tx.objectStore('posts').createIndex('benchExtra', 'text');
    },
  });
  again.close();
};

api.closeDisk = () => stores.disk!.db.close();
