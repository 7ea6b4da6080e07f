// Bundled as the command line is (vite.cli.config.ts: node:crypto's sha256) and run in its own Node process by
// bench/feed-file.bench.ts: prints one JSON line of rounds. A 10,000-post feed in the command line's store
// (the core's memory store) exported to a feed file in memory and imported into a fresh store, beside raw
// WebCrypto verifies of the same commits' signatures, alternating.
import { createHash } from 'node:crypto';
import { fromHex } from '../../src/protocol/bytes.ts';
import { buildCommit } from '../../src/protocol/commits.ts';
import { encodeCanonical } from '../../src/protocol/canonical.ts';
import { type NewHasher, encodeFeedFile } from '../../src/protocol/feed-file.ts';
import type { CommitId } from '../../src/protocol/ids.ts';
import { pseudonymOf, webCryptoVerify } from '../../src/protocol/keys.ts';
import { buildPost } from '../../src/protocol/objects.ts';
import { feedFileCommits, importFeedFile, listFeedInOrder } from '../../workers/feed/feed-file-io.ts';
import { MemoryCoreStore } from '../../workers/store/memory-core-store.ts';

export interface FeedFileRound {
  readonly rawPerSecond: number;
  /** Commits exported and imported per second, as `import-feed` does (importFeedFile: verified whole, then applied). */
  readonly feedPerSecond: number;
  /** The positive control: the same with a verifier that checks every signature twice. */
  readonly controlPerSecond: number;
  /** Where the feed run's time went, ms: listing the feed, writing the file, reading it verified, applying it. */
  readonly phases: { list: number; write: number; verify: number; apply: number };
}

const rounds = Number(process.argv[2] ?? 3);
const COUNT = Number(process.argv[3] ?? 10_000);
const SLICE = 250;
const key = fromHex('07'.repeat(32));
const author = pseudonymOf(key);
const subtle = globalThis.crypto.subtle;
// The raw baseline's own verifier. Under `import-feed` it sits beneath the threaded one (src/cli/device.ts), which
// takes a turn's calls to worker threads from 256 up; the reader begins half its window (256) of checks a turn, so
// most of an import's checks go there. Measured side by side (the file in 1 MiB chunks, as the command reads it),
// the threads were within the rounds' spread of this (0.50-0.56 both), so the figure keeps the baseline's verifier.
const verify = webCryptoVerify(subtle);
const twice: typeof verify = (sig, msg, key) => verify(sig, msg, key).then((ok) => ok && verify(sig, msg, key));
const nodeHasher: NewHasher = () => {
  const hash = createHash('sha256');
  return { update: (bytes) => hash.update(bytes), digest: () => hash.digest() };
};

async function seed(): Promise<MemoryCoreStore> {
  const store = new MemoryCoreStore();
  let parents: CommitId[] = [];
  for (let from = 0; from < COUNT; from += 500) {
    const items = [];
    for (let i = from; i < Math.min(COUNT, from + 500); i++) {
      const post = buildPost({ author, body: `post number ${i}: a few words, as most posts have`, ts: 1e12 + i });
      const signed = buildCommit(key, { parents, seq: i + 1, ts: 1e12 + i, ops: [{ type: 'post', object: post.id }] });
      parents = [signed.id];
      items.push({ signed, blobs: [{ id: post.id, bytes: post.bytes }], posts: [post] });
    }
    await store.applyBatch({ kind: 'own', items, outbox: { pseudonym: author, queuedAt: 0 } });
  }
  return store;
}

async function* replay(chunks: readonly Uint8Array[]) {
  yield* chunks;
}

/** Export then import, checked: the new store ends on the same tips and holds every commit. */
async function exportImport(store: MemoryCoreStore, hinted: boolean) {
  const t0 = performance.now();
  const ordered = await listFeedInOrder(store, author);
  const t1 = performance.now();
  const chunks: Uint8Array[] = [];
  const header = { author, commits: ordered.length, ts: 1e12 + COUNT };
  for await (const chunk of encodeFeedFile({ header, commits: feedFileCommits(store, author, ordered) }, nodeHasher))
    chunks.push(chunk);
  const t2 = performance.now();
  let t3 = t2;
  const now = Date.now();
  // The control's verifier checks each signature twice: a slower verify the figure must show.
  const checks = { verify: hinted ? verify : twice, now, newHasher: nodeHasher };
  const applied = await importFeedFile(new MemoryCoreStore(), () => replay(chunks), {
    checks,
    queuedAt: now,
    accept: async () => {
      t3 = performance.now(); // the whole file read and verified; applying starts
      return author;
    },
  });
  const t4 = performance.now();
  const tips = [applied.summary.tips, (await store.findTips(author))?.heads];
  if (applied.added !== COUNT || JSON.stringify(tips[0]) !== JSON.stringify(tips[1]))
    throw new Error(`the import differs: ${applied.added} of ${COUNT} commits, tips ${JSON.stringify(tips)}`);
  const phases = { list: t1 - t0, write: t2 - t1, verify: t3 - t2, apply: t4 - t3 };
  return { perSecond: COUNT / ((t4 - t0) / 1000), phases };
}

/** The baseline: WebCrypto verifies of the feed's signatures, as many in flight as verifyCommits keeps. */
async function rawRate(pairs: readonly (readonly [Uint8Array, Uint8Array])[], cryptoKey: CryptoKey) {
  const t = performance.now();
  for (let from = 0; from < pairs.length; from += SLICE) {
    const ok = await Promise.all(
      pairs
        .slice(from, from + SLICE)
        .map(([sig, msg]) =>
          subtle.verify({ name: 'Ed25519' }, cryptoKey, sig as Uint8Array<ArrayBuffer>, msg as Uint8Array<ArrayBuffer>),
        ),
    );
    if (!ok.every(Boolean)) throw new Error('a benchmark signature failed to verify');
  }
  return pairs.length / ((performance.now() - t) / 1000);
}

const store = await seed();
const ids = (await listFeedInOrder(store, author)).map((c) => c.id);
const pairs = Array.from((await store.findBlobs(author, ids)).values(), (bytes) => {
  const { sig, ...fields } = JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
  return [fromHex(sig as string), encodeCanonical(fields)] as const;
});
const cryptoKey = await subtle.importKey(
  'raw',
  fromHex(author) as Uint8Array<ArrayBuffer>,
  { name: 'Ed25519' },
  false,
  ['verify'],
);
await exportImport(store, true); // warm up
await rawRate(pairs, cryptoKey);
const out: FeedFileRound[] = [];
for (let i = 0; i < rounds; i++) {
  // Which goes first alternates, so a burst of other work on the machine lands on each alike.
  const order = i % 2 === 0 ? ['raw', 'feed', 'control'] : ['control', 'feed', 'raw'];
  const rates: Record<string, number> = {};
  let phases: FeedFileRound['phases'] | undefined;
  for (const what of order) {
    if (what === 'raw') rates.raw = await rawRate(pairs, cryptoKey);
    else {
      const run = await exportImport(store, what === 'feed');
      rates[what] = run.perSecond;
      if (what === 'feed') phases = run.phases;
    }
  }
  out.push({ rawPerSecond: rates.raw!, feedPerSecond: rates.feed!, controlPerSecond: rates.control!, phases: phases! });
}
process.stdout.write(`${JSON.stringify(out)}\n`);
