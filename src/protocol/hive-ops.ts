/**
 * The hive ops (issue 21; PROTOCOL.md, Hives), part of the op union in
 * ops.ts: what a commit can say about a hive. Each is checked here for its
 * form only; who may say it (the hive's own feed, a moderator at the time,
 * the member themselves) is a reader's rule over the set of them, in
 * hive-state.ts.
 */
import type { Canonical } from './canonical.ts';
import { CONTROL, invalid, readObjectId, readPseudonymId, readText, requireKeys } from './fields.ts';
import { HIVE_LIMITS } from './hives.ts';
import type { ObjectId, PseudonymId } from './ids.ts';

/** Publishes a `hive` settings object (hives.ts); in the hive's own feed, the first with `owner` is the charter. */
export interface HiveOp {
  readonly type: 'hive';
  readonly object: ObjectId;
}

export const HIVE_MEMBER_ACTIONS = ['join', 'leave', 'approve', 'ban', 'unban'] as const;
/** `join` and `leave` are a member's own word; `approve`, `ban` and `unban` the owner's or a moderator's. */
export type HiveMemberAction = (typeof HIVE_MEMBER_ACTIONS)[number];

export interface HiveMemberOp {
  readonly type: 'hive_member';
  readonly hive: PseudonymId;
  readonly member: PseudonymId;
  readonly action: HiveMemberAction;
}

export const HIVE_MOD_ACTIONS = ['add', 'remove'] as const;
export type HiveModAction = (typeof HIVE_MOD_ACTIONS)[number];

/** Makes or unmakes a moderator: counts only in the hive's own feed. */
export interface HiveModOp {
  readonly type: 'hive_mod';
  readonly hive: PseudonymId;
  readonly member: PseudonymId;
  readonly action: HiveModAction;
}

/** Publishes a hive post object by the feed's author. */
export interface HivePostOp {
  readonly type: 'hive_post';
  readonly object: ObjectId;
}

/** Publishes a hive comment object by the feed's author. */
export interface HiveCommentOp {
  readonly type: 'hive_comment';
  readonly object: ObjectId;
}

/** A moderation removal of a hive post or comment (its object id), with a public reason. */
export interface HiveRemoveOp {
  readonly type: 'hive_remove';
  readonly hive: PseudonymId;
  readonly target: ObjectId;
  readonly reason?: string;
}

export type AnyHiveOp = HiveOp | HiveMemberOp | HiveModOp | HivePostOp | HiveCommentOp | HiveRemoveOp;
export type HiveOpType = AnyHiveOp['type'];

export const HIVE_OP_TYPES: readonly HiveOpType[] = [
  'hive',
  'hive_member',
  'hive_mod',
  'hive_post',
  'hive_comment',
  'hive_remove',
];

type Raw = { [key: string]: Canonical };

function readAction<A extends string>(raw: Raw, actions: readonly A[]): A {
  if (!actions.includes(raw.action as A)) throw invalid('action', `expected one of ${actions.join(', ')}`);
  return raw.action as A;
}

/** Form checks of each hive op. @throws ProtocolError InvalidField, MalformedId, TooLarge */
export const HIVE_OP_DECODERS: { [T in HiveOpType]: (raw: Raw) => Extract<AnyHiveOp, { type: T }> } = {
  hive(raw) {
    requireKeys(raw, ['type', 'object'], 'hive');
    return { type: 'hive', object: readObjectId(raw, 'object')! };
  },
  hive_member(raw) {
    requireKeys(raw, ['type', 'hive', 'member', 'action'], 'hive_member');
    const hive = readPseudonymId(raw, 'hive');
    const member = readPseudonymId(raw, 'member');
    return { type: 'hive_member', hive, member, action: readAction(raw, HIVE_MEMBER_ACTIONS) };
  },
  hive_mod(raw) {
    requireKeys(raw, ['type', 'hive', 'member', 'action'], 'hive_mod');
    const hive = readPseudonymId(raw, 'hive');
    const member = readPseudonymId(raw, 'member');
    if (member === hive) throw invalid('member', 'the hive itself is its owner, not a moderator');
    return { type: 'hive_mod', hive, member, action: readAction(raw, HIVE_MOD_ACTIONS) };
  },
  hive_post(raw) {
    requireKeys(raw, ['type', 'object'], 'hive_post');
    return { type: 'hive_post', object: readObjectId(raw, 'object')! };
  },
  hive_comment(raw) {
    requireKeys(raw, ['type', 'object'], 'hive_comment');
    return { type: 'hive_comment', object: readObjectId(raw, 'object')! };
  },
  hive_remove(raw) {
    requireKeys(raw, ['type', 'hive', 'target', 'reason'], 'hive_remove');
    const hive = readPseudonymId(raw, 'hive');
    const target = readObjectId(raw, 'target')!;
    const reason = readText(raw, 'reason', HIVE_LIMITS.reasonChars, CONTROL, true);
    if (reason !== undefined && reason.trim() === '') throw invalid('reason', 'left out when there is none');
    return { type: 'hive_remove', hive, target, ...(reason !== undefined && { reason }) };
  },
};
