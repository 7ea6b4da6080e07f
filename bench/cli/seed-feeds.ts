/**
 * For the command-line bench (bench/cli.bench.ts): many long feeds built
 * with the protocol's own functions and put on a hub fast. Seeding is not
 * measured, so signatures are made by node:crypto (Ed25519 is deterministic:
 * the same bytes noble's sign gives, at several times its rate), and the
 * uploads go 32 at a time over keep-alive connections.
 */
import { type KeyObject, createPrivateKey, sign } from 'node:crypto';
import { toHex } from '../../src/protocol/bytes.ts';
import { encodeCanonical } from '../../src/protocol/canonical.ts';
import { type SignedCommit, decodeCommit } from '../../src/protocol/commits.ts';
import { type FeedLog, buildFeedLog } from '../../src/protocol/feed-log.ts';
import { type SignedHead, buildHead } from '../../src/protocol/heads.ts';
import type { ObjectId, PseudonymId } from '../../src/protocol/ids.ts';
import { type SecretKey, pseudonymOf } from '../../src/protocol/keys.ts';
import { type BuiltObject, type PostObject, buildPost } from '../../src/protocol/objects.ts';
import type { Op } from '../../src/protocol/ops.ts';
import { AUTH_HEADERS, newRequestNonce, requestMessage } from '../../src/protocol/request-auth.ts';
import { keepAliveAgent, runLoad, send } from '../hub/load-client.ts';

/** One Ed25519 key, with node:crypto's handle on it for fast signing. */
export interface FastKey {
  readonly secret: SecretKey;
  readonly author: PseudonymId;
  readonly node: KeyObject;
}

export function fastKey(secret: SecretKey): FastKey {
  // PKCS#8 for an Ed25519 seed: a fixed 16-byte prefix, then the 32 bytes.
  const der = Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), secret]);
  return { secret, author: pseudonymOf(secret), node: createPrivateKey({ key: der, format: 'der', type: 'pkcs8' }) };
}

/** A commit of `key`'s, as buildCommit makes it (parents sorted), signed by node:crypto. */
export function fastCommit(
  key: FastKey,
  fields: { parents: readonly SignedCommit['id'][]; seq: number; ts: number; ops: readonly Op[] },
): SignedCommit {
  const unsigned = {
    type: 'commit',
    author: key.author,
    parents: [...new Set(fields.parents)].sort(),
    seq: fields.seq,
    ts: fields.ts,
    ops: fields.ops,
  };
  const sig = toHex(sign(null, encodeCanonical(unsigned as never), key.node));
  return decodeCommit(encodeCanonical({ ...unsigned, sig } as never));
}

export interface SeededFeed {
  readonly key: FastKey;
  readonly commits: readonly SignedCommit[];
  readonly posts: readonly BuiltObject<PostObject>[];
  readonly logs: readonly BuiltObject<FeedLog>[];
  readonly head: SignedHead;
}

/**
 * A chain of `posts` one-post commits by `key`, with its feed log (1,024 ids a segment, as the protocol writes)
 * and the head naming the last; posts `step` ms apart from `start`.
 */
export function seedFeed(key: FastKey, posts: number, start: number, step: number): SeededFeed {
  const commits: SignedCommit[] = [];
  const objects: BuiltObject<PostObject>[] = [];
  for (let i = 0; i < posts; i++) {
    const last = commits.at(-1);
    const ts = start + i * step;
    const post = buildPost({ author: key.author, body: `post ${i + 1} of ${key.author.slice(0, 8)}`, ts });
    objects.push(post);
    commits.push(
      fastCommit(key, {
        parents: last ? [last.id] : [],
        seq: i + 1,
        ts,
        ops: [{ type: 'post', object: post.id }],
      }),
    );
  }
  const logs: BuiltObject<FeedLog>[] = [];
  for (let i = 0; i < commits.length; i += 1024) {
    const prev = logs.at(-1)?.id;
    const ids = commits.slice(i, i + 1024).map((c) => c.id);
    logs.push(buildFeedLog({ author: key.author, commits: ids, ...(prev && { prev }) }));
  }
  const tip = commits.at(-1)!;
  const head = buildHead(key.secret, { heads: [tip.id], seq: tip.commit.seq, ts: Date.now(), log: logs.at(-1)!.id });
  return { key, commits, posts: objects, logs, head };
}

/**
 * The feed of a reader that follows every one of `targets` on `hubUrl`: one commit of up to 64 follow ops
 * (LIMITS.opsPerCommit) after another, and the head naming the last.
 */
export function followingFeed(key: FastKey, targets: readonly SeededFeed[], hubUrl: string): SeededFeed {
  const commits: SignedCommit[] = [];
  for (let i = 0; i < targets.length; i += 64) {
    const ops = targets.slice(i, i + 64).map((t): Op => ({ type: 'follow', target: t.key.author, hubs: [hubUrl] }));
    const last = commits.at(-1);
    commits.push(fastCommit(key, { parents: last ? [last.id] : [], seq: commits.length + 1, ts: Date.now(), ops }));
  }
  const tip = commits.at(-1)!;
  const head = buildHead(key.secret, { heads: [tip.id], seq: tip.commit.seq, ts: Date.now() });
  return { key, commits, posts: [], logs: [], head };
}

/** A distinct secret key for feed `i` of the bench. */
export function benchSecret(i: number): SecretKey {
  const secret = new Uint8Array(32);
  new DataView(secret.buffer).setUint32(0, i + 1);
  secret[31] = 0xb7;
  return secret;
}

/** Headers signing `PUT path` of `body` as `key` for `host` (request-auth.ts), signed by node:crypto. */
function signedPut(key: FastKey, path: string, body: Uint8Array, host: string): Record<string, string> {
  const ts = Date.now();
  const nonce = newRequestNonce();
  const message = requestMessage(key.author, { method: 'PUT', path, body, ts, host, nonce });
  return {
    [AUTH_HEADERS.author]: key.author,
    [AUTH_HEADERS.ts]: String(ts),
    [AUTH_HEADERS.host]: host,
    [AUTH_HEADERS.nonce]: nonce,
    [AUTH_HEADERS.sig]: toHex(sign(null, message, key.node)),
  };
}

/**
 * Puts every post, commit and log segment of `feeds` on the hub (32 at a time, each signed as it is sent:
 * a hub refuses old signatures), then each feed's head. @throws when the hub refuses any of it.
 */
export async function uploadFeeds(hubUrl: string, feeds: readonly SeededFeed[]): Promise<void> {
  const host = new URL(hubUrl).host;
  const agent = keepAliveAgent(32);
  const uploads = feeds.flatMap((feed) =>
    [...feed.posts, ...feed.commits, ...feed.logs].map((blob) => ({ key: feed.key, id: blob.id, bytes: blob.bytes })),
  );
  try {
    await runLoad({
      loops: 32,
      durationMs: Number.POSITIVE_INFINITY,
      maxRequests: uploads.length,
      expect: [200, 201],
      one: (i) => {
        const { key, id, bytes } = uploads[i]!;
        const path = `/v1/blobs/${id as ObjectId}`;
        return send(agent, new URL(hubUrl + path), 'PUT', signedPut(key, path, bytes, host), bytes);
      },
    });
    for (const feed of feeds) {
      const status = await send(agent, new URL(`${hubUrl}/v1/heads/${feed.key.author}`), 'PUT', {}, feed.head.bytes);
      if (status !== 200) throw new Error(`the hub refused the head of ${feed.key.author}: ${status}`);
    }
  } finally {
    agent.destroy();
  }
}
