/**
 * The delta algebra: what one commit can say. Each op names what it touches by
 * id; long content lives in objects (objects.ts), never inline, so it
 * deduplicates and can be dropped locally after a delete. Short fields that
 * are merged per key (profile fields, votes) sit in the op itself.
 */
import { isLowerHex } from './bytes.ts';
import type { Canonical } from './canonical.ts';
import { ProtocolError } from './errors.ts';
import { invalid, readArray, readObjectId, readPseudonymId, readString, requireKeys } from './fields.ts';
import { MAX_TOPICS, readTopics } from './topics.ts';
import type { CommitId, ObjectId, PseudonymId } from './ids.ts';
import { type MistId, isMistId } from './mists.ts';
import { type AnyHiveOp, HIVE_OP_DECODERS } from './hive-ops.ts';

export type { HiveCommentOp, HiveMemberOp, HiveModOp, HiveOp, HivePostOp, HiveRemoveOp } from './hive-ops.ts';

/** The audiences a post op names; `public` is the op without the field (one spelling per post). */
export const SEALED_AUDIENCES = ['followers', 'allowlist', 'link'] as const;
export type SealedAudienceKind = (typeof SEALED_AUDIENCES)[number];

/**
 * Publishes a post object (a post, a reply or a quote: the object says which). With `audience`, `object` names
 * the sealed post (`"mau1"`, audience.ts) and `keys` its key envelope (`"mak1"`), which followers and allowlist
 * posts carry and link posts never do: the secret travels in the link.
 */
export interface PostOp {
  readonly type: 'post';
  readonly object: ObjectId;
  readonly audience?: SealedAudienceKind;
  readonly keys?: ObjectId;
}
/** Shares someone's post; `commit` is the original author's commit that published it, so readers verify it there. */
export interface RepostOp {
  readonly type: 'repost';
  readonly object: ObjectId;
  readonly commit: CommitId;
}
/** A new version of one of the author's posts; every version is kept. */
export interface EditOp {
  readonly type: 'edit';
  readonly target: ObjectId;
  readonly object: ObjectId;
}
/** A tombstone: wins over the object it names (a post, a repost's object, a reaction target stays). */
export interface DeleteOp {
  readonly type: 'delete';
  readonly target: ObjectId;
}
export interface ReactOp {
  readonly type: 'react';
  readonly target: ObjectId;
  readonly emoji: string;
}
export interface UnreactOp {
  readonly type: 'unreact';
  readonly target: ObjectId;
  readonly emoji: string;
}
/** Starts following a feed. `handle` and `hubs` are hints for finding it again. */
export interface FollowOp {
  readonly type: 'follow';
  readonly target: PseudonymId;
  readonly handle?: string;
  readonly hubs?: readonly string[];
}
export interface UnfollowOp {
  readonly type: 'unfollow';
  readonly target: PseudonymId;
}
/** Sets some profile fields; each field merges on its own (last writer wins). */
export interface ProfileOp {
  readonly type: 'profile';
  readonly name?: string;
  readonly bio?: string;
  readonly avatar?: ObjectId;
  readonly links?: readonly string[];
  /** X25519 public key for DMs, hex. */
  readonly dm_key?: string;
  /**
   * Public topics the pseudonym posts about (lowercase, like post tags, without '#'): what a directory lists it
   * under and the topics lens matches. An empty list clears them.
   */
  readonly topics?: readonly string[];
  /**
   * The hubs the feed lives on now, newest home first (origins, like a follow op's hints). Readers fetch and
   * stream the feed from them: a feed that moved leaves this op at the old hub's head as a signed pointer.
   */
  readonly hubs?: readonly string[];
}
/** +1, -1, or 0 to withdraw; one standing vote per target. */
export interface VoteOp {
  readonly type: 'vote';
  readonly target: ObjectId;
  readonly value: -1 | 0 | 1;
}

/**
 * Publishes a version of a mist (mists.ts): its first (a new mist, or a fork), or a later one; the object says
 * which mist by its author and origin. With `audience: 'link'` the object is sealed (`"mau1"`, audience.ts) and
 * the key travels only in the link, as a link post's does.
 */
export interface MistOp {
  readonly type: 'mist';
  readonly object: ObjectId;
  readonly audience?: 'link';
}
/** A tombstone for one of the author's mists, by its short id: it wins over every version of it. */
export interface UnmistOp {
  readonly type: 'unmist';
  readonly mist: MistId;
}

/**
 * Ends a delegation (agents.ts): the agent's commits the owner had not seen when revoking are refused by every
 * reader (feed-state.ts). Only the owner's key may sign it: no delegation's scope can name it.
 */
export interface RevokeOp {
  readonly type: 'revoke';
  readonly agent: PseudonymId;
}

export type Op =
  | PostOp
  | RepostOp
  | EditOp
  | DeleteOp
  | ReactOp
  | UnreactOp
  | FollowOp
  | UnfollowOp
  | ProfileOp
  | VoteOp
  | RevokeOp
  | MistOp
  | UnmistOp
  /** hive, hive_member, hive_mod, hive_post, hive_comment, hive_remove (hive-ops.ts). */
  | AnyHiveOp;
export type OpType = Op['type'];

type Raw = { [key: string]: Canonical };

export const OP_LIMITS = {
  hubs: 8,
  urlChars: 256,
  handleChars: 320,
  emojiCodePoints: 8,
  profileNameChars: 64,
  bioChars: 1024,
  links: 8,
  topics: MAX_TOPICS,
} as const;

const HUB_ORIGIN = /^https?:\/\/[^\s/?#]+$/;
const HUB_HINT = 'expected a hub origin like https://hub.example';
const LINK = /^https?:\/\/\S+$/;

function readEmoji(raw: Raw): string {
  const emoji = readString(raw, 'emoji', OP_LIMITS.emojiCodePoints)!;
  // One reaction is one short symbol: no letters, digits or spaces (so it cannot carry a message).
  if (emoji.length === 0 || /[\p{L}\p{N}\s]/u.test(emoji)) throw invalid('emoji', 'expected an emoji');
  return emoji;
}

function readUrls(raw: Raw, field: string, max: number, pattern: RegExp, hint: string): string[] | undefined {
  const list = readArray(raw, field, max, true);
  list?.forEach((url, i) => {
    if (typeof url !== 'string' || url.length > OP_LIMITS.urlChars || !pattern.test(url))
      throw invalid(`${field}[${i}]`, hint);
  });
  return list as string[] | undefined;
}

const decoders: { [T in OpType]: (raw: Raw) => Extract<Op, { type: T }> } = {
  post(raw) {
    requireKeys(raw, ['type', 'object', 'audience', 'keys'], 'post');
    const object = readObjectId(raw, 'object')!;
    const keys = readObjectId(raw, 'keys', true);
    const audience = raw.audience;
    if (audience === undefined) {
      if (keys !== undefined) throw invalid('keys', 'a public post has no key envelope');
      return { type: 'post', object };
    }
    if (!SEALED_AUDIENCES.includes(audience as SealedAudienceKind))
      throw invalid('audience', 'expected followers, allowlist or link (a public post leaves it out)');
    const kind = audience as SealedAudienceKind;
    if (keys === object) throw invalid('keys', 'the key envelope is a blob of its own, not the sealed post');
    if ((kind === 'link') !== (keys === undefined))
      throw invalid('keys', kind === 'link' ? 'a link post has no key envelope' : `a ${kind} post names its keys`);
    return { type: 'post', object, audience: kind, ...(keys !== undefined && { keys }) };
  },
  repost(raw) {
    requireKeys(raw, ['type', 'object', 'commit'], 'repost');
    return { type: 'repost', object: readObjectId(raw, 'object')!, commit: readObjectId(raw, 'commit')! };
  },
  edit(raw) {
    requireKeys(raw, ['type', 'target', 'object'], 'edit');
    return { type: 'edit', target: readObjectId(raw, 'target')!, object: readObjectId(raw, 'object')! };
  },
  delete(raw) {
    requireKeys(raw, ['type', 'target'], 'delete');
    return { type: 'delete', target: readObjectId(raw, 'target')! };
  },
  react(raw) {
    requireKeys(raw, ['type', 'target', 'emoji'], 'react');
    return { type: 'react', target: readObjectId(raw, 'target')!, emoji: readEmoji(raw) };
  },
  unreact(raw) {
    requireKeys(raw, ['type', 'target', 'emoji'], 'unreact');
    return { type: 'unreact', target: readObjectId(raw, 'target')!, emoji: readEmoji(raw) };
  },
  follow(raw) {
    requireKeys(raw, ['type', 'target', 'handle', 'hubs'], 'follow');
    const hubs = readUrls(raw, 'hubs', OP_LIMITS.hubs, HUB_ORIGIN, HUB_HINT);
    const handle = readString(raw, 'handle', OP_LIMITS.handleChars, true);
    return {
      type: 'follow',
      target: readPseudonymId(raw, 'target'),
      ...(handle !== undefined && { handle }),
      ...(hubs && { hubs }),
    };
  },
  unfollow(raw) {
    requireKeys(raw, ['type', 'target'], 'unfollow');
    return { type: 'unfollow', target: readPseudonymId(raw, 'target') };
  },
  profile(raw) {
    requireKeys(raw, ['type', 'name', 'bio', 'avatar', 'links', 'dm_key', 'hubs', 'topics'], 'profile');
    const topics = readTopics(raw);
    const name = readString(raw, 'name', OP_LIMITS.profileNameChars, true);
    const bio = readString(raw, 'bio', OP_LIMITS.bioChars, true);
    const avatar = readObjectId(raw, 'avatar', true);
    const links = readUrls(raw, 'links', OP_LIMITS.links, LINK, 'expected an http(s) link');
    const hubs = readUrls(raw, 'hubs', OP_LIMITS.hubs, HUB_ORIGIN, HUB_HINT);
    const dmKey = raw.dm_key;
    if (dmKey !== undefined && !isLowerHex(dmKey, 32))
      throw new ProtocolError('MalformedId', 'dm_key: expected 64 lowercase hex characters', { field: 'dm_key' });
    const op: ProfileOp = {
      type: 'profile',
      ...(name !== undefined && { name }),
      ...(bio !== undefined && { bio }),
      ...(avatar !== undefined && { avatar }),
      ...(links !== undefined && { links }),
      ...(dmKey !== undefined && { dm_key: dmKey as string }),
      ...(hubs !== undefined && { hubs }),
      ...(topics !== undefined && { topics }),
    };
    if (Object.keys(op).length === 1) throw invalid('profile', 'sets no field');
    return op;
  },
  vote(raw) {
    requireKeys(raw, ['type', 'target', 'value'], 'vote');
    const value = raw.value;
    if (value !== -1 && value !== 0 && value !== 1) throw invalid('value', 'expected -1, 0 or 1');
    return { type: 'vote', target: readObjectId(raw, 'target')!, value };
  },
  revoke(raw) {
    requireKeys(raw, ['type', 'agent'], 'revoke');
    return { type: 'revoke', agent: readPseudonymId(raw, 'agent') };
  },
  mist(raw) {
    requireKeys(raw, ['type', 'object', 'audience'], 'mist');
    const object = readObjectId(raw, 'object')!;
    if (raw.audience === undefined) return { type: 'mist', object };
    if (raw.audience !== 'link') throw invalid('audience', 'a mist is public or for whoever holds its link');
    return { type: 'mist', object, audience: 'link' };
  },
  unmist(raw) {
    requireKeys(raw, ['type', 'mist'], 'unmist');
    if (!isMistId(raw.mist))
      throw new ProtocolError('MalformedId', 'mist: expected 16 lowercase hex characters', { field: 'mist' });
    return { type: 'unmist', mist: raw.mist };
  },
  ...HIVE_OP_DECODERS,
};

/** @throws ProtocolError UnknownOp, InvalidField, MalformedId, TooLarge */
export function decodeOp(raw: Canonical, index: number): Op {
  if (typeof raw !== 'object' || Array.isArray(raw)) throw invalid(`ops[${index}]`, 'expected an object');
  const type = raw.type;
  if (typeof type !== 'string' || !Object.hasOwn(decoders, type)) {
    throw new ProtocolError('UnknownOp', `ops[${index}]: unknown op type ${JSON.stringify(type)}`, { index });
  }
  return decoders[type as OpType](raw);
}

/** The object ids an op asks readers to fetch (to show it), in order. */
export function fetchIdsOf(op: Op): ObjectId[] {
  switch (op.type) {
    case 'post':
      return op.keys ? [op.object, op.keys] : [op.object];
    case 'repost':
      return [op.commit, op.object];
    case 'edit':
    case 'mist':
    case 'hive':
    case 'hive_post':
    case 'hive_comment':
      return [op.object];
    case 'profile':
      return op.avatar ? [op.avatar] : [];
    default:
      return [];
  }
}
