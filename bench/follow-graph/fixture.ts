/**
 * The big follow graph of issue 22 point 5, written straight into a hub's data folder through its own store
 * (seeding through HTTP costs ~3.4 ms a commit: 11 minutes for 200,000 commits): `feeds` feeds of `posts`
 * one-post commits each, with their feed logs and signed heads, and a reader whose feed follows every one of
 * them with the hub as the hint. Commits are signed by node:crypto (noble would take minutes for 200,000);
 * the first of each feed is checked against buildCommit's bytes, so the fixture is what the app writes.
 */
import { createPrivateKey, sign } from 'node:crypto';
import { fromHex, toHex } from '../../src/protocol/bytes.ts';
import { encodeCanonical } from '../../src/protocol/canonical.ts';
import { buildCommit } from '../../src/protocol/commits.ts';
import { LOG_SEGMENT, buildFeedLog } from '../../src/protocol/feed-log.ts';
import { buildHead } from '../../src/protocol/heads.ts';
import { type CommitId, type ObjectId, type PseudonymId, hashBytes } from '../../src/protocol/ids.ts';
import { type SecretKey, pseudonymOf, secretKeyFrom } from '../../src/protocol/keys.ts';
import { buildPost } from '../../src/protocol/objects.ts';
import type { Op } from '../../src/protocol/ops.ts';
import { fileHubStore } from '../../src/hub/store/files/file-hub-store.ts';
import type { HubStore } from '../../src/hub/store/hub-store.ts';

export interface FollowGraph {
  readonly reader: { readonly key: SecretKey; readonly id: PseudonymId };
  /** The body of the newest post of all the followed feeds: what the timeline's first row must show. */
  readonly newest: string;
  /** Commits of the followed feeds (the reader's own follows besides). */
  readonly commits: number;
}

/** A 32-byte Ed25519 seed as a node:crypto key (PKCS #8 with the seed after a fixed prefix). */
const PKCS8_PREFIX = fromHex('302e020100300506032b657004220420');

/** The first post's time: every feed's posts interleave after it, one millisecond apart. */
const T0 = Date.UTC(2026, 0, 1);

/**
 * Writes the graph into the hub data folder `dataDir` (the hub must not have it open), naming `hubUrl` in the
 * reader's follows: the hub that will serve the folder.
 */
export async function writeFollowGraph(
  dataDir: string,
  hubUrl: string,
  feeds: number,
  posts: number,
): Promise<FollowGraph> {
  const store = await fileHubStore(dataDir)({ quotaBytes: 0, addressBytes: 0, diskBytes: 0 });
  try {
    const authors: PseudonymId[] = [];
    for (let f = 0; f < feeds; f++) {
      const key = secretKeyFrom(fromHex((0x10000 + f).toString(16).padStart(64, '0')));
      authors.push(pseudonymOf(key));
      await writeFeed(store, key, posts, (i) => {
        const ts = T0 + i * feeds + f;
        return { ts, ops: (author) => [{ type: 'post', object: postOf(author, i, ts).id }] };
      });
    }
    const readerKey = secretKeyFrom(fromHex('ee'.repeat(32)));
    await writeFeed(store, readerKey, feeds, (i) => ({
      ts: T0 + posts * feeds + i,
      ops: () => [{ type: 'follow', target: authors[i]!, hubs: [hubUrl] }],
    }));
    const last = authors.at(-1)!;
    return {
      reader: { key: readerKey, id: pseudonymOf(readerKey) },
      newest: `post ${posts} of ${last.slice(0, 8)}`,
      commits: feeds * posts,
    };
  } finally {
    await store.close();
  }
}

/** Post i of `author` (from 0), its body naming its number from 1 as growFeed's do. */
function postOf(author: PseudonymId, i: number, ts: number) {
  return buildPost({ author, body: `post ${i + 1} of ${author.slice(0, 8)}`, ts });
}

/** One feed: `count` commits in a chain, the posts they publish, its feed log and its head. */
async function writeFeed(
  store: HubStore,
  key: SecretKey,
  count: number,
  commitAt: (i: number) => { ts: number; ops: (author: PseudonymId) => Op[] },
): Promise<void> {
  const author = pseudonymOf(key);
  const signer = createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, key]), format: 'der', type: 'pkcs8' });
  const blobs: { id: ObjectId; bytes: Uint8Array }[] = [];
  const ids: CommitId[] = [];
  let seq = 0;
  for (let i = 0; i < count; i++) {
    const { ts, ops } = commitAt(i);
    const made = ops(author);
    for (const op of made) if (op.type === 'post') blobs.push(postOf(author, i, ts));
    const fields = { type: 'commit', author, parents: ids.slice(-1), seq: ++seq, ts, ops: made };
    const sig = toHex(sign(null, encodeCanonical(fields), signer));
    const bytes = encodeCanonical({ ...fields, sig });
    if (i === 0 && toHex(bytes) !== toHex(buildCommit(key, { parents: [], seq: 1, ts, ops: made }).bytes))
      throw new Error('the fixture signs commits otherwise than buildCommit');
    const id = hashBytes(bytes);
    ids.push(id);
    blobs.push({ id, bytes });
  }
  let prev: ObjectId | undefined;
  for (let i = 0; i < ids.length; i += LOG_SEGMENT) {
    const log = buildFeedLog({ author, commits: ids.slice(i, i + LOG_SEGMENT), ...(prev && { prev }) });
    blobs.push(log);
    prev = log.id;
  }
  for (let i = 0; i < blobs.length; i += 512)
    await Promise.all(blobs.slice(i, i + 512).map((b) => store.blobs.put(b.id, b.bytes)));
  const head = buildHead(key, { heads: [ids.at(-1)!], seq, ts: commitAt(count - 1).ts, ...(prev && { log: prev }) });
  await store.heads.putHead(head);
}
