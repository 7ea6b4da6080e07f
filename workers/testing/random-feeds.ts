/**
 * Random small feeds for the model-based merge test (store/merge-model.test.ts):
 * a script of abstract steps (drawn there by fast-check) turned into real signed commits by
 * a few authors (the remote one's sometimes by its agent, under a delegation
 * its owner may revoke), with the post objects, edit versions and reposted commits
 * they name, and each commit as the walk would hand it to the store
 * (a VerifiedCommit). Steps name earlier posts by index, so every script is
 * valid whatever fast-check shrinks it to.
 */
import { type AgentField, DELEGABLE_OP_TYPES, buildDelegation } from '../../src/protocol/agents.ts';
import { type SignedCommit, buildCommit, objectIdsOf } from '../../src/protocol/commits.ts';
import type { Stamp } from '../../src/protocol/feed-state.ts';
import type { CommitId, ObjectId, PseudonymId } from '../../src/protocol/ids.ts';
import { type SecretKey, pseudonymOf, secretKeyFrom } from '../../src/protocol/keys.ts';
import { type BuiltObject, type PostObject, buildPost } from '../../src/protocol/objects.ts';
import type { Op } from '../../src/protocol/ops.ts';
import type { VerifiedCommit } from '../store/apply-plan.ts';

const KEYS: readonly SecretKey[] = [1, 2, 3].map((n) => secretKeyFrom(new Uint8Array(32).fill(n)));
/** The authors: the first two are pseudonyms of the device under test, the third a remote feed. */
export const AUTHORS: readonly PseudonymId[] = KEYS.map(pseudonymOf);
export const LOCAL: readonly PseudonymId[] = AUTHORS.slice(0, 2);
export const EMOJIS = ['👍', '🎉'] as const;
/** The remote feed's agent, and its delegation (every op but revoke): its commits count until a revocation. */
const AGENT_KEY = secretKeyFrom(new Uint8Array(32).fill(4));
const AGENT = pseudonymOf(AGENT_KEY);
const DELEGATION = buildDelegation(KEYS[2]!, { agent: AGENT, scope: DELEGABLE_OP_TYPES, expires: 1e15, name: 'bot' });

export const OP_KINDS = [
  'post',
  'reply',
  'quote',
  'republish',
  'repost',
  'edit',
  'delete',
  'react',
  'unreact',
  'follow',
  'unfollow',
  'profile',
  'vote',
  'revoke',
] as const;
export type OpKind = (typeof OP_KINDS)[number];

/** One op of a step; `pick` and `value` choose among what exists when it is built. */
export interface OpStep {
  readonly kind: OpKind;
  readonly pick: number;
  readonly value: number;
}

/** One commit: its author (index), ts (small, so stamps tie often), which earlier commits of its author are parents. */
export interface CommitStep {
  readonly author: number;
  readonly ts: number;
  readonly parents: readonly number[];
  readonly ops: readonly OpStep[];
  /** The remote author's commit signed by its agent instead (it then publishes a fresh post first). */
  readonly agent?: boolean;
}

/** A post held somewhere in the script, with the commit and op that published it (for reposts). */
interface Published {
  readonly post: BuiltObject<PostObject>;
  readonly commit: SignedCommit;
  readonly index: number;
}

/** What a script built: the commits (in the order written, a valid DAG order per author) and every object. */
export interface Feeds {
  readonly commits: readonly VerifiedCommit[];
  /** Post objects and edit versions by id. */
  readonly objects: ReadonlyMap<ObjectId, PostObject>;
}

/** Turns a script into signed commits. Pure: the same script always gives the same bytes. */
export function buildFeeds(script: readonly CommitStep[]): Feeds {
  const commits: VerifiedCommit[] = [];
  const byAuthor = new Map<PseudonymId, SignedCommit[]>();
  const published: Published[] = [];
  const versions: BuiltObject<PostObject>[] = [];
  const blobs = new Map<ObjectId, Uint8Array>();
  let bodies = 0;
  for (const step of script) {
    const author = AUTHORS[step.author]!;
    const own = byAuthor.get(author) ?? [];
    const parents = own.length === 0 ? [] : [...new Set(step.parents.map((p) => own[p % own.length]!))];
    const seq = 1 + Math.max(0, ...parents.map((p) => p.commit.seq));
    const built: BuiltObject<PostObject>[] = [];
    const reposted: { post: BuiltObject<PostObject>; stamp: Stamp; agent?: AgentField }[] = [];
    const ops: Op[] = [];
    const byAgent = step.agent === true && author === AUTHORS[2];
    const newPost = (extra: Partial<PostObject>) => {
      // A post's own ts may be before its commit's (written offline, published later).
      const post = buildPost({ author, body: `b${bodies++}`, ts: step.ts - (bodies % 2), ...extra });
      built.push(post);
      blobs.set(post.id, post.bytes);
      ops.push({ type: 'post', object: post.id });
    };
    for (const o of step.ops) {
      const any = published[o.pick % Math.max(1, published.length)];
      const mine = published.filter((p) => p.post.value.author === author);
      const myPost = mine[o.pick % Math.max(1, mine.length)];
      const other = AUTHORS[(step.author + 1 + (o.value % 2)) % AUTHORS.length]!;
      const needsPost = !['follow', 'unfollow', 'profile'].includes(o.kind);
      if (o.kind === 'post' || (!any && needsPost)) newPost({});
      else if (o.kind === 'reply') newPost({ reply_to: any!.post.id });
      else if (o.kind === 'quote') newPost({ quote_of: any!.post.id });
      else if (o.kind === 'republish' && myPost) {
        built.push(myPost.post);
        ops.push({ type: 'post', object: myPost.post.id });
      } else if (o.kind === 'repost') {
        ops.push({ type: 'repost', object: any!.post.id, commit: any!.commit.id });
        blobs.set(any!.commit.id, any!.commit.bytes);
        const { agent } = any!.commit.commit; // as the walk passes it: the original commit's verified agent
        reposted.push({
          post: any!.post,
          stamp: [any!.commit.commit.ts, any!.commit.id, any!.index],
          ...(agent && { agent }),
        });
      } else if (o.kind === 'edit' && (myPost || o.value === 5)) {
        // Now and then an edit of someone else's post: it must change nothing anyone sees.
        const target = o.value === 5 ? any!.post : myPost!.post;
        const { reply_to, quote_of } = target.value;
        const version = buildPost({
          author,
          body: `b${bodies++}`,
          ts: step.ts,
          ...(reply_to && { reply_to }),
          ...(quote_of && { quote_of }),
        });
        versions.push(version);
        blobs.set(version.id, version.bytes);
        ops.push({ type: 'edit', target: target.id, object: version.id });
      } else if (o.kind === 'delete') {
        // Own posts, own edit versions, or anything (a withdrawn repost, or a tombstone that should change nothing).
        const ownVersions = versions.filter((v) => v.value.author === author);
        const choices = [myPost?.post.id, ownVersions[o.pick % Math.max(1, ownVersions.length)]?.id, any!.post.id];
        ops.push({ type: 'delete', target: choices[o.value % 3] ?? any!.post.id });
      } else if (o.kind === 'react' || o.kind === 'unreact') {
        ops.push({ type: o.kind, target: any!.post.id, emoji: EMOJIS[o.value % 2]! });
      } else if (o.kind === 'follow') {
        ops.push({ type: 'follow', target: other, handle: `h${o.value}@hub.test`, hubs: ['http://hub.test'] });
      } else if (o.kind === 'unfollow') {
        ops.push({ type: 'unfollow', target: other });
      } else if (o.kind === 'profile') {
        const name = o.value % 3 !== 1 ? { name: `n${o.value}` } : {};
        ops.push({ type: 'profile', ...name, ...(o.value % 3 !== 0 && { bio: `b${o.value}` }) });
      } else if (o.kind === 'revoke' && !byAgent) {
        ops.push({ type: 'revoke', agent: AGENT });
      } else if (o.kind === 'vote') {
        ops.push({ type: 'vote', target: any!.post.id, value: ((o.value % 3) - 1) as -1 | 0 | 1 });
      } else newPost({});
    }
    const fields = { parents: parents.map((p) => p.id).sort(), seq, ts: step.ts, ops };
    const signed = byAgent
      ? buildCommit(AGENT_KEY, { ...fields, agent: { id: AGENT, model: 'm-1', delegation: DELEGATION } })
      : buildCommit(KEYS[step.author]!, fields);
    ops.forEach((op, index) => {
      if (op.type === 'post') published.push({ post: built.find((p) => p.id === op.object)!, commit: signed, index });
    });
    byAuthor.set(author, [...own, signed]);
    const uniquePosts = [...new Map(built.map((p) => [p.id, p])).values()];
    commits.push({
      signed,
      blobs: objectIdsOf(signed.commit).map((id) => ({ id, bytes: blobs.get(id)! })),
      posts: uniquePosts,
      ...(reposted.length > 0 && { reposted }),
    });
  }
  const all = [...published.map((p) => p.post), ...versions];
  const objects = new Map<ObjectId, PostObject>(all.map((p) => [p.id, p.value]));
  return { commits, objects };
}

/**
 * A random order of `commits` that keeps each commit after its parents (the
 * store's precondition), cut into chunks: `keys` rank the commits, `cuts`
 * say where a chunk ends.
 */
export function orderAndChunk<T extends { readonly signed: SignedCommit }>(
  commits: readonly T[],
  keys: readonly number[],
  cuts: readonly boolean[],
): T[][] {
  const placed = new Set<CommitId>();
  const rest = commits.map((c, i) => ({ c, key: keys[i % Math.max(1, keys.length)] ?? 0, i }));
  const order: T[] = [];
  while (rest.length > 0) {
    const ready = rest.filter((r) => r.c.signed.commit.parents.every((p) => placed.has(p)));
    ready.sort((a, b) => a.key - b.key || a.i - b.i);
    const next = ready[0]!;
    rest.splice(rest.indexOf(next), 1);
    placed.add(next.c.signed.id);
    order.push(next.c);
  }
  const chunks: T[][] = [[]];
  order.forEach((c, i) => {
    chunks.at(-1)!.push(c);
    if (cuts[i % Math.max(1, cuts.length)] && i < order.length - 1) chunks.push([]);
  });
  return chunks;
}
