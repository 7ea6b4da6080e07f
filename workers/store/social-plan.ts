/**
 * The social part of applying commits (edits, deletes, reactions, reposts,
 * profiles, votes), computed purely from the commits and the rows they touch, by the
 * protocol's merge rules (feed-state.ts): versions and reposts are sets (the
 * earliest stamp kept), tombstones a set, reactions, votes and profile fields
 * last writer wins by stamp (commit ts, commit id, op index). It also says which
 * posts' timeline rows may have changed, so they are rebuilt in the same
 * transaction (timeline-rows.ts). A revoke op is kept as the profile row
 * `revoked AGENT` (value true): one per agent, never taken back, so the
 * profile can mark the agent revoked without a store of its own.
 */
import { type Stamp, compareStamps } from '../../src/protocol/feed-state.ts';
import type { ObjectId, PseudonymId } from '../../src/protocol/ids.ts';
import type { VerifiedCommit } from './apply-plan.ts';
import type { EditRow, ProfileRow, ReactionRow, RepostRow, TombstoneRow, VoteRow } from './db.ts';

export interface SocialExisting {
  /** Keyed by socialKey(...) of each row's key. */
  readonly edits: ReadonlyMap<string, EditRow>;
  readonly tombstones: ReadonlyMap<string, TombstoneRow>;
  readonly reactions: ReadonlyMap<string, ReactionRow>;
  readonly reposts: ReadonlyMap<string, RepostRow>;
  readonly profiles: ReadonlyMap<string, ProfileRow>;
  readonly votes: ReadonlyMap<string, VoteRow>;
}

export interface SocialWrites {
  readonly edits: EditRow[];
  readonly tombstones: TombstoneRow[];
  readonly reactions: ReactionRow[];
  readonly reposts: RepostRow[];
  readonly profiles: ProfileRow[];
  readonly votes: VoteRow[];
  /** Posts whose rows may show differently now. */
  readonly touchedPosts: Set<ObjectId>;
  /** Authors whose profile name or hubs changed (their rows show the new name, and the handle where it moved). */
  readonly renamed: Set<PseudonymId>;
}

export function socialKey(...parts: readonly string[]): string {
  return parts.join(' ');
}

/** The keys of every row `items` may touch, for reading them before planning. */
export interface SocialKeys {
  readonly edits: [ObjectId, ObjectId][];
  readonly tombstones: [ObjectId, PseudonymId][];
  readonly reactions: [ObjectId, string, PseudonymId][];
  readonly reposts: [ObjectId, PseudonymId][];
  readonly profiles: [PseudonymId, string][];
  readonly votes: [ObjectId, PseudonymId][];
}

/** The profile row's field that records a revocation of `agent` (PROTOCOL.md, Agents). */
export function revokedField(agent: PseudonymId): string {
  return `revoked ${agent}`;
}

/**
 * The profile row's field that lists a delegated agent: its model and name, as the latest commit it signed
 * under the feed's delegation gives them (feed-state.ts agents), whatever ops that commit carries.
 */
export function agentField(agent: PseudonymId): string {
  return `agent ${agent}`;
}

export function socialKeysOf(items: readonly VerifiedCommit[]): SocialKeys {
  const out: SocialKeys = { edits: [], tombstones: [], reactions: [], reposts: [], profiles: [], votes: [] };
  for (const { signed, reposted } of items) {
    const { author, agent } = signed.commit;
    // Whether the owner revoked the agent that signed it (revocation-plan.ts).
    if (agent?.delegation) out.profiles.push([author, revokedField(agent.id)], [author, agentField(agent.id)]);
    // And whether a reposted post's own publication may be refused (commit-plan.ts revoking).
    for (const r of reposted ?? [])
      if (r.agent?.delegation) out.profiles.push([r.post.value.author, revokedField(r.agent.id)]);
    for (const op of signed.commit.ops) {
      if (op.type === 'edit') out.edits.push([op.target, op.object]);
      else if (op.type === 'delete') out.tombstones.push([op.target, author]);
      else if (op.type === 'react' || op.type === 'unreact') out.reactions.push([op.target, op.emoji, author]);
      else if (op.type === 'repost') out.reposts.push([op.object, author]);
      else if (op.type === 'vote') out.votes.push([op.target, author]);
      else if (op.type === 'revoke') out.profiles.push([author, revokedField(op.agent)]);
      else if (op.type === 'profile')
        for (const field of Object.keys(op)) if (field !== 'type') out.profiles.push([author, field]);
    }
  }
  return out;
}

/** Plans the social rows of `items` (held commits must already be filtered out). */
export function planSocial(items: readonly VerifiedCommit[], existing: SocialExisting): SocialWrites {
  const edits = new Map(existing.edits);
  const tombstones = new Map(existing.tombstones);
  const reactions = new Map(existing.reactions);
  const reposts = new Map(existing.reposts);
  const profiles = new Map(existing.profiles);
  const votes = new Map(existing.votes);
  const changed = {
    edits: new Set<string>(),
    tombstones: new Set<string>(),
    reactions: new Set<string>(),
    reposts: new Set<string>(),
    profiles: new Set<string>(),
    votes: new Set<string>(),
  };
  const touchedPosts = new Set<ObjectId>();
  const renamed = new Set<PseudonymId>();
  const earliest = <R extends { stamp: Stamp }>(map: Map<string, R>, set: Set<string>, key: string, row: R) => {
    const current = map.get(key);
    if (current && compareStamps(row.stamp, current.stamp) >= 0) return false;
    map.set(key, row);
    set.add(key);
    return true;
  };
  const latest = <R extends { stamp: Stamp }>(map: Map<string, R>, set: Set<string>, key: string, row: R) => {
    const current = map.get(key);
    if (current && compareStamps(row.stamp, current.stamp) <= 0) return false;
    map.set(key, row);
    set.add(key);
    return true;
  };

  for (const { signed } of items) {
    const { author, ts, agent } = signed.commit;
    if (agent?.delegation) {
      const { name } = agent.delegation;
      const value = { model: agent.model, ...(name !== undefined && { name }) };
      const field = agentField(agent.id);
      latest(profiles, changed.profiles, socialKey(author, field), { author, field, value, stamp: [ts, signed.id, 0] });
    }
    signed.commit.ops.forEach((op, index) => {
      const stamp: Stamp = [ts, signed.id, index];
      switch (op.type) {
        case 'edit':
          if (
            earliest(edits, changed.edits, socialKey(op.target, op.object), {
              target: op.target,
              id: op.object,
              author,
              stamp,
            })
          )
            touchedPosts.add(op.target);
          return;
        case 'delete': {
          const key = socialKey(op.target, author);
          if (!tombstones.has(key)) {
            tombstones.set(key, { target: op.target, author });
            changed.tombstones.add(key);
          }
          // A delete may name an edit version: the post it edits shows another version now.
          touchedPosts.add(op.target);
          for (const e of edits.values()) if (e.id === op.target) touchedPosts.add(e.target);
          return;
        }
        case 'react':
        case 'unreact':
          if (
            latest(reactions, changed.reactions, socialKey(op.target, op.emoji, author), {
              target: op.target,
              emoji: op.emoji,
              reactor: author,
              on: op.type === 'react',
              stamp,
            })
          )
            touchedPosts.add(op.target);
          return;
        case 'repost':
          if (
            earliest(reposts, changed.reposts, socialKey(op.object, author), {
              object: op.object,
              reposter: author,
              stamp,
            })
          )
            touchedPosts.add(op.object);
          return;
        case 'profile':
          for (const [field, value] of Object.entries(op)) {
            if (field === 'type') continue;
            if (
              latest(profiles, changed.profiles, socialKey(author, field), { author, field, value, stamp }) &&
              (field === 'name' || field === 'hubs')
            )
              renamed.add(author);
          }
          return;
        case 'revoke': {
          // Only the owner's key may revoke (a delegation's scope never allows it).
          if (signed.commit.agent?.delegation) return;
          const field = revokedField(op.agent);
          latest(profiles, changed.profiles, socialKey(author, field), { author, field, value: true, stamp });
          return;
        }
        case 'vote': {
          const row = { target: op.target, voter: author, value: op.value, stamp };
          if (latest(votes, changed.votes, socialKey(op.target, author), row)) touchedPosts.add(op.target);
          return;
        }
        default:
      }
    });
  }
  const pick = <R>(map: Map<string, R>, keys: Set<string>) => [...keys].map((k) => map.get(k)!);
  return {
    edits: pick(edits, changed.edits),
    tombstones: pick(tombstones, changed.tombstones),
    reactions: pick(reactions, changed.reactions),
    reposts: pick(reposts, changed.reposts),
    profiles: pick(profiles, changed.profiles),
    votes: pick(votes, changed.votes),
    touchedPosts,
    renamed,
  };
}
