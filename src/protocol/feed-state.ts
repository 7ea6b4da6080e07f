/**
 * A feed's state as a pure function of the SET of its commits (DESIGN.md,
 * merge rules). Every part is a join-semilattice keyed by a stamp
 * (commit ts, commit id, op index), so adding commits in any order, any number
 * of times, and joining replicas' states all give the same result:
 *
 * | part | rule |
 * |---|---|
 * | posts, reposts | union; an object id appears once (earliest stamp kept) |
 * | edits | every version kept; shown = latest by stamp |
 * | deletes | a tombstone set; it wins over what it names |
 * | reactions | per (target, emoji), last writer wins (react / unreact) |
 * | follows, votes | per key, last writer wins |
 * | profile | per field, last writer wins |
 * | agents | per agent, the delegation of the latest commit it signed; revoked once any revoke op names it |
 * | mists | every version kept (earliest stamp); an unmist tombstone wins over every version of its mist id |
 * | hive ops | not kept here: a hive's state is made of many feeds (hive-state.ts) |
 *
 * Revocation (PROTOCOL.md, Agents): a commit an agent signed under a
 * delegation counts only when the feed holds no revoke op naming that agent,
 * or when it is an ancestor of a commit carrying one (the owner had seen it
 * when revoking). Anything else that agent signed is refused: its ops are
 * left out. This needs the whole set, so feedState() decides it before the
 * fold; addCommit() alone applies every commit it is given.
 */
import type { Commit } from './commits.ts';
import type { CommitId, ObjectId, PseudonymId } from './ids.ts';
import type { MistId } from './mists.ts';
import type { OpType, ProfileOp } from './ops.ts';

/** (commit ts, commit id, op index): a total order on everything a feed says. */
export type Stamp = readonly [ts: number, commit: CommitId, op: number];

export function compareStamps(a: Stamp, b: Stamp): number {
  return a[0] - b[0] || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0) || a[2] - b[2];
}

export interface Stamped<T> {
  readonly value: T;
  readonly stamp: Stamp;
}

export type ProfileField = Exclude<keyof ProfileOp, 'type'>;

export interface FeedState {
  readonly commits: Set<CommitId>;
  readonly posts: Map<ObjectId, Stamp>;
  /** Reposted object -> the original author's commit that published it. */
  readonly reposts: Map<ObjectId, Stamped<CommitId>>;
  /** Target post -> its versions, keyed by the version's object id. */
  readonly edits: Map<ObjectId, Map<ObjectId, Stamp>>;
  readonly deleted: Set<ObjectId>;
  /** `${target} ${emoji}` -> whether the reaction stands. */
  readonly reactions: Map<string, Stamped<boolean>>;
  readonly follows: Map<PseudonymId, Stamped<{ following: boolean; handle?: string; hubs?: readonly string[] }>>;
  readonly votes: Map<ObjectId, Stamped<-1 | 0 | 1>>;
  readonly profile: Map<ProfileField, Stamped<unknown>>;
  /** The agents the feed's owner delegated to, as its commits show them. */
  readonly agents: Map<PseudonymId, Stamped<AgentSeen>>;
  /** Agents a revoke op of the feed names. */
  readonly revoked: Set<PseudonymId>;
  /** Commits held but refused: signed by a revoked agent after (or beside) its revocation. */
  readonly refused: Set<CommitId>;
  /** Every mist version the feed published (objects: which mist each is, the object says), sealed or not. */
  readonly mists: Map<ObjectId, Stamped<{ readonly sealed: boolean }>>;
  /** Mist ids an unmist op names: none of their versions is shown. */
  readonly unmisted: Set<MistId>;
}

/** An agent as its delegation (the latest one seen) describes it. */
export interface AgentSeen {
  readonly model: string;
  readonly name?: string;
  readonly scope: readonly OpType[];
  readonly expires: number;
}

export function emptyFeedState(): FeedState {
  return {
    commits: new Set(),
    posts: new Map(),
    reposts: new Map(),
    edits: new Map(),
    deleted: new Set(),
    reactions: new Map(),
    follows: new Map(),
    votes: new Map(),
    profile: new Map(),
    agents: new Map(),
    revoked: new Set(),
    refused: new Set(),
    mists: new Map(),
    unmisted: new Set(),
  };
}

function keepEarliest<K>(map: Map<K, Stamp>, key: K, stamp: Stamp): void {
  const current = map.get(key);
  if (!current || compareStamps(stamp, current) < 0) map.set(key, stamp);
}

function keepEarliestStamped<K, V>(map: Map<K, Stamped<V>>, key: K, next: Stamped<V>): void {
  const current = map.get(key);
  if (!current || compareStamps(next.stamp, current.stamp) < 0) map.set(key, next);
}

function keepLatest<K, V>(map: Map<K, Stamped<V>>, key: K, next: Stamped<V>): void {
  const current = map.get(key);
  if (!current || compareStamps(next.stamp, current.stamp) > 0) map.set(key, next);
}

/**
 * Adds one verified commit to `state` in place (the accumulator of a fold).
 * Idempotent and order-free: see the module comment.
 */
export function addCommit(state: FeedState, id: CommitId, commit: Commit): void {
  if (state.commits.has(id)) return;
  state.commits.add(id);
  const delegation = commit.agent?.delegation;
  if (commit.agent && delegation) {
    const { model } = commit.agent;
    const seen = { model, scope: delegation.scope, expires: delegation.expires };
    const value: AgentSeen = delegation.name === undefined ? seen : { ...seen, name: delegation.name };
    keepLatest(state.agents, commit.agent.id, { value, stamp: [commit.ts, id, 0] });
  }
  commit.ops.forEach((op, index) => {
    const stamp: Stamp = [commit.ts, id, index];
    switch (op.type) {
      case 'post':
        keepEarliest(state.posts, op.object, stamp);
        return;
      case 'repost': {
        const current = state.reposts.get(op.object);
        if (!current || compareStamps(stamp, current.stamp) < 0)
          state.reposts.set(op.object, { value: op.commit, stamp });
        return;
      }
      case 'edit': {
        let versions = state.edits.get(op.target);
        if (!versions) {
          versions = new Map();
          state.edits.set(op.target, versions);
        }
        keepEarliest(versions, op.object, stamp);
        return;
      }
      case 'delete':
        state.deleted.add(op.target);
        return;
      case 'react':
      case 'unreact':
        keepLatest(state.reactions, `${op.target} ${op.emoji}`, { value: op.type === 'react', stamp });
        return;
      case 'follow':
        keepLatest(state.follows, op.target, {
          value: {
            following: true,
            ...(op.handle !== undefined && { handle: op.handle }),
            ...(op.hubs && { hubs: op.hubs }),
          },
          stamp,
        });
        return;
      case 'unfollow':
        keepLatest(state.follows, op.target, { value: { following: false }, stamp });
        return;
      case 'vote':
        keepLatest(state.votes, op.target, { value: op.value, stamp });
        return;
      case 'profile':
        for (const [field, value] of Object.entries(op)) {
          if (field !== 'type') keepLatest(state.profile, field as ProfileField, { value, stamp });
        }
        return;
      case 'revoke':
        // Only the owner's key may revoke: a delegated commit never carries one (OutOfScope), but say so here too.
        if (!delegation) state.revoked.add(op.agent);
        return;
      case 'mist':
        keepEarliestStamped(state.mists, op.object, { value: { sealed: op.audience === 'link' }, stamp });
        return;
      case 'unmist':
        state.unmisted.add(op.mist);
        return;
      case 'hive':
      case 'hive_member':
      case 'hive_mod':
      case 'hive_post':
      case 'hive_comment':
      case 'hive_remove':
        // A hive's state is made of many feeds' ops: hive-state.ts reads them, the feed's own state does not.
        return;
    }
  });
}

/**
 * The commits of `commits` that revocation refuses: signed by an agent some owner-signed commit revokes, and not
 * an ancestor of any such commit.
 */
export function refusedCommits(commits: Iterable<{ readonly id: CommitId; readonly commit: Commit }>): Set<CommitId> {
  const byId = new Map<CommitId, Commit>();
  for (const { id, commit } of commits) byId.set(id, commit);
  const revocations = new Map<PseudonymId, CommitId[]>();
  for (const [id, commit] of byId) {
    if (commit.agent?.delegation) continue;
    for (const op of commit.ops) {
      if (op.type === 'revoke') revocations.set(op.agent, [...(revocations.get(op.agent) ?? []), id]);
    }
  }
  const refused = new Set<CommitId>();
  if (revocations.size === 0) return refused;
  const seenBy = new Map<PseudonymId, Set<CommitId>>();
  const ancestorsOf = (agent: PseudonymId) => {
    let seen = seenBy.get(agent);
    if (seen) return seen;
    seen = new Set();
    const stack = (revocations.get(agent) ?? []).flatMap((id) => byId.get(id)?.parents ?? []);
    while (stack.length > 0) {
      const id = stack.pop()!;
      if (seen.has(id)) continue;
      seen.add(id);
      for (const parent of byId.get(id)?.parents ?? []) stack.push(parent);
    }
    seenBy.set(agent, seen);
    return seen;
  };
  for (const [id, commit] of byId) {
    const agent = commit.agent?.delegation ? commit.agent.id : undefined;
    if (agent !== undefined && revocations.has(agent) && !ancestorsOf(agent).has(id)) refused.add(id);
  }
  return refused;
}

/** The state of a set of commits (duplicates and order do not matter), revocations applied. */
export function feedState(commits: Iterable<{ readonly id: CommitId; readonly commit: Commit }>): FeedState {
  const all = [...commits];
  const state = emptyFeedState();
  const refused = refusedCommits(all);
  for (const id of refused) {
    state.commits.add(id);
    state.refused.add(id);
  }
  for (const { id, commit } of all) addCommit(state, id, commit);
  return state;
}

/**
 * Joins two replicas' states: equal to the state of the union of their commit sets when neither holds a
 * revocation the other's agent commits fall under (a revocation needs the whole set: feedState() of the union).
 */
export function joinFeedStates(a: FeedState, b: FeedState): FeedState {
  const out = emptyFeedState();
  for (const s of [a, b]) {
    for (const id of s.commits) out.commits.add(id);
    for (const [id, stamp] of s.posts) keepEarliest(out.posts, id, stamp);
    s.reposts.forEach((r, id) => {
      const current = out.reposts.get(id);
      if (!current || compareStamps(r.stamp, current.stamp) < 0) out.reposts.set(id, r);
    });
    s.edits.forEach((versions, target) => {
      let into = out.edits.get(target);
      if (!into) {
        into = new Map();
        out.edits.set(target, into);
      }
      for (const [id, stamp] of versions) keepEarliest(into, id, stamp);
    });
    for (const id of s.deleted) out.deleted.add(id);
    for (const [k, v] of s.reactions) keepLatest(out.reactions, k, v);
    for (const [k, v] of s.follows) keepLatest(out.follows, k, v);
    for (const [k, v] of s.votes) keepLatest(out.votes, k, v);
    for (const [k, v] of s.profile) keepLatest(out.profile, k, v);
    for (const [k, v] of s.agents) keepLatest(out.agents, k, v);
    for (const id of s.revoked) out.revoked.add(id);
    for (const id of s.refused) out.refused.add(id);
    for (const [id, version] of s.mists) keepEarliestStamped(out.mists, id, version);
    for (const id of s.unmisted) out.unmisted.add(id);
  }
  return out;
}

/** The version of a post to show: the latest edit by stamp, else the post itself; undefined once deleted. */
export function shownVersion(state: FeedState, post: ObjectId): ObjectId | undefined {
  if (state.deleted.has(post)) return undefined;
  let shown: [ObjectId, Stamp] | undefined;
  state.edits.get(post)?.forEach((stamp, id) => {
    if (!state.deleted.has(id) && (!shown || compareStamps(stamp, shown[1]) > 0)) shown = [id, stamp];
  });
  return shown ? shown[0] : post;
}

/** A plain, canonical-encodable picture of the state, for comparing states byte for byte. */
export function describeFeedState(state: FeedState): Record<string, unknown> {
  const sorted = <V>(map: Map<string, V>, f: (v: V) => unknown) =>
    Object.fromEntries([...map].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => [k, f(v)]));
  const stamped = (s: Stamped<unknown>) => ({ value: s.value, stamp: [...s.stamp] });
  return {
    commits: [...state.commits].sort(),
    posts: sorted(state.posts, (s) => [...s]),
    reposts: sorted(state.reposts, stamped),
    edits: sorted(state.edits, (versions) => sorted(versions, (s) => [...s])),
    deleted: [...state.deleted].sort(),
    reactions: sorted(state.reactions, stamped),
    follows: sorted(state.follows, stamped),
    votes: sorted(state.votes, stamped),
    profile: sorted(state.profile as Map<string, Stamped<unknown>>, stamped),
    agents: sorted(state.agents as Map<string, Stamped<unknown>>, stamped),
    revoked: [...state.revoked].sort(),
    refused: [...state.refused].sort(),
    mists: sorted(state.mists, stamped),
    unmisted: [...state.unmisted].sort(),
  };
}
