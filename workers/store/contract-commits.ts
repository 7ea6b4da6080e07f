/**
 * The commits the core store contract's cases are made of (contract.ts, revocation-contract.ts): alice and bob,
 * bob's agent, posts, ops, reposts.
 *
 * This is test code, named as the layer test expects.
 */
import { buildDelegation } from '../../src/protocol/agents.ts';
import { type SignedCommit, buildCommit } from '../../src/protocol/commits.ts';
import { type CommitId, type PseudonymId, hashBytes } from '../../src/protocol/ids.ts';
import { type SecretKey, pseudonymOf, secretKeyFrom } from '../../src/protocol/keys.ts';
import { buildPost } from '../../src/protocol/objects.ts';
import type { Op } from '../../src/protocol/ops.ts';
import type { VerifiedCommit } from './apply-plan.ts';
import type { CoreStore } from './core-store.ts';

export const aliceKey = secretKeyFrom(new Uint8Array(32).fill(31));
export const bobKey = secretKeyFrom(new Uint8Array(32).fill(32));
export const alice = pseudonymOf(aliceKey);
export const bob = pseudonymOf(bobKey);
export const TS = 1_700_000_000_000;

/** A verified commit of `key` on `parents`, publishing a post `body` (with a media blob when asked). */
export function commit(
  key: SecretKey,
  parents: readonly VerifiedCommit[],
  body: string,
  media = false,
): VerifiedCommit {
  const author = pseudonymOf(key);
  const image = media
    ? { id: hashBytes(new TextEncoder().encode(`image ${body}`)), bytes: bytesOf(`image ${body}`) }
    : undefined;
  const post = buildPost({ author, body, ts: TS, ...(image && { media: [image.id] }) });
  const seq = 1 + Math.max(0, ...parents.map((p) => p.signed.commit.seq));
  const signed: SignedCommit = buildCommit(key, {
    parents: parents.map((p) => p.signed.id),
    seq,
    ts: TS + seq,
    ops: [{ type: 'post', object: post.id }],
  });
  return { signed, blobs: [{ id: post.id, bytes: post.bytes }, ...(image ? [image] : [])], posts: [post] };
}

/** A verified commit of `key` on `parents` carrying `ops` that name no blob (follows, unfollows). */
export function opsCommit(key: SecretKey, parents: readonly VerifiedCommit[], ops: Op[]): VerifiedCommit {
  const seq = 1 + Math.max(0, ...parents.map((p) => p.signed.commit.seq));
  const signed = buildCommit(key, { parents: parents.map((p) => p.signed.id), seq, ts: TS + seq, ops });
  return { signed, blobs: [], posts: [] };
}

export function bytesOf(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

export const agentKey = secretKeyFrom(new Uint8Array(32).fill(34));
export const agent = pseudonymOf(agentKey);
const delegationOf = (key: SecretKey) =>
  buildDelegation(key, { agent, scope: ['post', 'follow'], expires: TS + 86_400_000 });
const delegations = new Map([bobKey, aliceKey].map((k) => [pseudonymOf(k), delegationOf(k)]));

/** The agent's commit for `owner` (bob unless told) on `parents`: a post `body` and a follow of `target`. */
export function agentCommit(
  parents: readonly VerifiedCommit[],
  body: string,
  target: PseudonymId,
  owner = bob,
): VerifiedCommit {
  const post = buildPost({ author: owner, body, ts: TS });
  const seq = 1 + Math.max(0, ...parents.map((p) => p.signed.commit.seq));
  const signed = buildCommit(agentKey, {
    parents: parents.map((p) => p.signed.id),
    seq,
    ts: TS + seq,
    ops: [
      { type: 'post', object: post.id },
      { type: 'follow', target, hubs: [] },
    ],
    agent: { id: agent, model: 'm-1', delegation: delegations.get(owner)! },
  });
  return { signed, blobs: [{ id: post.id, bytes: post.bytes }], posts: [post] };
}

/** Alice's repost of the post `of` publishes, carrying that post as the walk passes it (with its commit's agent). */
export function repostOf(of: VerifiedCommit): VerifiedCommit {
  const post = of.posts[0]!;
  const ops: Op[] = [{ type: 'repost', object: post.id, commit: of.signed.id }];
  const signed = buildCommit(aliceKey, { parents: [], seq: 1, ts: TS + 9, ops });
  const { ts, agent: by } = of.signed.commit;
  const reposted = [{ post, stamp: [ts, of.signed.id, 0] as const, ...(by && { agent: by }) }];
  return { signed, blobs: [{ id: of.signed.id, bytes: of.signed.bytes }], posts: [], reposted };
}

export const idOf = (c: VerifiedCommit) => c.signed.id;
export const sorted = (ids: readonly CommitId[]) => [...ids].sort();

export function own(store: CoreStore, items: VerifiedCommit[], expect?: readonly VerifiedCommit[]) {
  return store.applyBatch({
    kind: 'own',
    items,
    outbox: { pseudonym: alice, queuedAt: TS },
    ...(expect && { expectTips: { author: alice, heads: expect.map(idOf) } }),
  });
}
