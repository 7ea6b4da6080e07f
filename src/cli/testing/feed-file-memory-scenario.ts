/**
 * Run by src/cli/feed-file-memory.test.ts in Node processes of its own (bundled as the command line is, so it
 * hashes with node:crypto): a feed with large media exported to a feed file and imported into a fresh store by
 * the command line's own code (listFeedInOrder, feedFileCommits, writeFeedFile; importFeedFile over
 * readFeedFileChunks), measuring how far memory grows while it does. Prints one JSON line.
 *
 *   node --expose-gc scenario.mjs export DIR POSTS MEDIA        seeds the feed and exports it to DIR/feed
 *   node --expose-gc scenario.mjs export-whole DIR POSTS MEDIA  the same holding every chunk, then writing
 *                                                               them (the control), to DIR/feed-whole
 *   node --expose-gc scenario.mjs import DIR                    imports DIR/feed into a fresh store
 *   node --expose-gc scenario.mjs import-whole DIR              the same from the file read whole (the control)
 *
 * The stores are the core's memory store with every blob of 64 KiB or more kept on disk instead, as IndexedDB
 * keeps them out of the worker's memory: what is measured is the feed file's path, not a store's. (The command
 * line's own store, FileCoreStore, keeps every blob in memory: see the test.)
 * (Not imported by the command line itself.)
 */
import { createPrivateKey, randomBytes, sign } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fromHex, toHex } from '../../protocol/bytes.ts';
import { type SignedCommit, decodeCommit } from '../../protocol/commits.ts';
import { encodeCanonical } from '../../protocol/canonical.ts';
import { encodeFeedFile } from '../../protocol/feed-file.ts';
import { type CommitId, type ObjectId, hashBytes } from '../../protocol/ids.ts';
import { pseudonymOf, webCryptoVerify } from '../../protocol/keys.ts';
import { buildPost } from '../../protocol/objects.ts';
import { feedFileCommits, importFeedFile, listFeedInOrder } from '../../../workers/feed/feed-file-io.ts';
import type { ApplyInput } from '../../../workers/store/commit-plan.ts';
import type { FeedStore } from '../../../workers/store/core-store.ts';
import { MemoryCoreStore } from '../../../workers/store/memory-core-store.ts';
import { nodeHasher, readFeedFileChunks, writeFeedFile } from '../commands/feed-file-disk.ts';

/** What one measured run prints. */
export interface MemoryRun {
  /** Progress reported: calls, and the last `done`. */
  readonly progress: { readonly calls: number; readonly last: number };
  /** Peak of heapUsed + arrayBuffers after a full collection (every SAMPLE_EVERY progress calls), less before. */
  readonly liveGrowth: number;
  /** Peak of heapUsed + arrayBuffers at every progress call, garbage included, less before. */
  readonly sampledGrowth: number;
  /** Peak resident memory (VmHWM, reset before the run) less resident memory at that reset. */
  readonly rssGrowth: number;
}

export interface ExportRun extends MemoryRun {
  /** Bytes of the media seeded, and of the file written. */
  readonly mediaBytes: number;
  readonly fileBytes: number;
}

export interface ImportRun extends MemoryRun {
  /** The last progress of each pass: commits verified, and commits stored. */
  readonly verified: number;
  readonly applied: number;
  readonly commits: number;
  readonly added: number;
  readonly sameTips: boolean;
  /** Media the fresh store holds on disk, and their bytes. */
  readonly media: number;
  readonly mediaBytes: number;
}

/** Blobs at least this large are kept on disk by the stores here. */
const ON_DISK = 64 * 1024;
const EMPTY = new Uint8Array(0);
const key = fromHex('07'.repeat(32));
const author = pseudonymOf(key);
/** The same key for node:crypto (PKCS#8 of an Ed25519 seed), which signs 10,000 commits many times faster. */
const nodeKey = createPrivateKey({
  key: Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), key]),
  format: 'der',
  type: 'pkcs8',
});

/** A one-post commit as buildCommit makes it (Ed25519 signatures are deterministic: the same bytes). */
function postCommit(parents: readonly CommitId[], seq: number, ts: number, post: ObjectId): SignedCommit {
  const fields = { author, ops: [{ object: post, type: 'post' }], parents, seq, ts, type: 'commit' };
  const sig = toHex(sign(null, encodeCanonical(fields), nodeKey));
  return decodeCommit(encodeCanonical({ ...fields, sig }));
}
/** Node's --expose-gc (the test runs this with it). */
const exposedGc = (globalThis as { gc?: () => void }).gc!;

/**
 * A full collection whose spent ArrayBuffers are freed: V8 sweeps them concurrently after a collection and
 * finishes at the start of the next, so arrayBuffers counts them until a second one.
 */
function gc(): void {
  exposedGc();
  exposedGc();
}

/** The core's memory store with its large blobs in files under `dir` (written as stored, read as asked for). */
function diskMediaStore(dir: string): FeedStore & { tips(): Promise<readonly CommitId[] | undefined> } {
  mkdirSync(dir, { recursive: true });
  const memory = new MemoryCoreStore();
  const onDisk = new Set<ObjectId>();
  const applyBatch = (input: ApplyInput) => {
    const items = input.items.map((item) => ({
      ...item,
      blobs: item.blobs.map(({ id, bytes }) => {
        if (bytes.length < ON_DISK) return { id, bytes };
        writeFileSync(join(dir, id), bytes);
        onDisk.add(id);
        return { id, bytes: EMPTY };
      }),
    }));
    return memory.applyBatch({ ...input, items });
  };
  const findBlobs = async (from: Parameters<FeedStore['findBlobs']>[0], ids: readonly ObjectId[]) => {
    const found = await memory.findBlobs(from, ids);
    for (const id of found.keys()) if (onDisk.has(id)) found.set(id, readFileSync(join(dir, id)));
    return found;
  };
  const tips = async () => (await memory.findTips(author))?.heads;
  return new Proxy(memory as unknown as FeedStore & { tips: typeof tips }, {
    get: (target, name) => {
      if (name === 'applyBatch') return applyBatch;
      if (name === 'findBlobs') return findBlobs;
      if (name === 'tips') return tips;
      const value = (target as unknown as Record<string | symbol, unknown>)[name];
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/**
 * `posts` one-post commits in a chain, `media` of them in a row (as an album is posted) each with a blob of
 * 1 MiB of random bytes: a reader or writer that holds a window or a slice of commits holds all their media.
 */
async function seed(store: FeedStore, posts: number, media: number): Promise<number> {
  let parents: CommitId[] = [];
  let mediaBytes = 0;
  const first = Math.floor((posts - media) / 2);
  for (let from = 0; from < posts; from += 100) {
    const items = [];
    for (let i = from; i < Math.min(posts, from + 100); i++) {
      const blob = i >= first && i < first + media ? randomBytes(1 << 20) : undefined;
      const blobs = blob ? [{ id: hashBytes(blob), bytes: blob }] : [];
      mediaBytes += blob?.length ?? 0;
      const ts = 1e12 + i;
      const post = buildPost({ author, body: `post ${i}`, ts, ...(blob && { media: [blobs[0]!.id] }) });
      const signed = postCommit(parents, i + 1, ts, post.id);
      parents = [signed.id];
      items.push({ signed, blobs: [{ id: post.id, bytes: post.bytes }, ...blobs], posts: [post] });
    }
    // Each batch stored before the next is built: the seed never holds more than a batch of media.
    await store.applyBatch({ kind: 'own', items, outbox: { pseudonym: author, queuedAt: 0 } });
  }
  return mediaBytes;
}

function vm(field: 'VmRSS' | 'VmHWM'): number {
  const status = readFileSync('/proc/self/status', 'utf8');
  return Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1]) * 1024;
}

/** Progress calls between samples of live memory (each a full collection: a few ms). */
const SAMPLE_EVERY = 100;

/**
 * Measures `run` by the progress it reports: every call samples heapUsed + arrayBuffers as they are (garbage
 * included: when V8 collects it is its own choice), and every SAMPLE_EVERY-th call and the last after a full
 * collection, which is what the run holds: whatever it holds across that many commits (a stage, a batch, a
 * window or slice of commits with their media, the file) is seen.
 */
async function measured(run: (progress: (done: number) => void) => Promise<void>): Promise<MemoryRun> {
  const used = () => {
    const m = process.memoryUsage();
    return m.heapUsed + m.arrayBuffers;
  };
  gc();
  const before = used();
  writeFileSync('/proc/self/clear_refs', '5'); // VmHWM := VmRSS from here (Linux 4.0+)
  const rss = vm('VmRSS');
  let peak = before;
  let live = before;
  let calls = 0;
  let last = 0;
  await run((done) => {
    calls++;
    last = done;
    peak = Math.max(peak, used());
    if (calls % SAMPLE_EVERY === 0) {
      gc();
      live = Math.max(live, used());
    }
  });
  peak = Math.max(peak, used());
  return {
    progress: { calls, last },
    liveGrowth: live - before,
    sampledGrowth: peak - before,
    rssGrowth: vm('VmHWM') - rss,
  };
}

async function exportRun(dir: string, posts: number, media: number, whole: boolean): Promise<ExportRun> {
  const store = diskMediaStore(join(dir, whole ? 'seeded-whole' : 'seeded'));
  const mediaBytes = await seed(store, posts, media);
  const file = join(dir, whole ? 'feed-whole' : 'feed');
  const run = await measured(async (progress) => {
    const ordered = await listFeedInOrder(store, author);
    let done = 0;
    const commits = (async function* () {
      for await (const commit of feedFileCommits(store, author, ordered)) {
        yield commit;
        progress(++done);
      }
    })();
    const input = { header: { author, commits: ordered.length, ts: 2e12 }, commits };
    if (!whole) {
      await writeFeedFile(file, input);
      return;
    }
    // The control: every chunk held, then written, as a writer that builds the file in memory would.
    const chunks: Uint8Array[] = [];
    for await (const chunk of encodeFeedFile(input, nodeHasher)) chunks.push(chunk);
    await writeFile(file, chunks);
  });
  return { ...run, mediaBytes, fileBytes: statSync(file).size };
}

async function importRun(dir: string, whole: boolean): Promise<ImportRun> {
  const file = join(dir, 'feed');
  const target = join(dir, whole ? 'imported-whole' : 'imported');
  const store = diskMediaStore(target);
  const read = whole
    ? async function* () {
        yield await readFile(file); // the control: the whole file in memory at once
      }
    : () => readFeedFileChunks(file);
  let verified = 0;
  let applied = 0;
  let result: Awaited<ReturnType<typeof importFeedFile>> | undefined;
  const run = await measured(async (progress) => {
    result = await importFeedFile(store, read, {
      checks: { verify: webCryptoVerify(crypto.subtle), now: Date.now(), newHasher: nodeHasher },
      queuedAt: 0,
      onVerified: (done) => {
        verified = done;
        progress(done);
      },
      onApplied: (done) => {
        applied = done;
        progress(done);
      },
      accept: async (summary) => summary.header.author,
    });
  });
  const held = readdirSync(target);
  return {
    ...run,
    verified,
    applied,
    commits: result!.commits,
    added: result!.added,
    sameTips: JSON.stringify(await store.tips()) === JSON.stringify(result!.summary.tips),
    media: held.length,
    mediaBytes: held.reduce((n, name) => n + statSync(join(target, name)).size, 0),
  };
}

const [phase, dir, posts, media] = process.argv.slice(2);
const out = phase!.startsWith('export')
  ? await exportRun(dir!, Number(posts), Number(media), phase === 'export-whole')
  : await importRun(dir!, phase === 'import-whole');
process.stdout.write(`${JSON.stringify(out)}\n`);
