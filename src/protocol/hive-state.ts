/**
 * A hive's state as a pure function of the SET of entries a reader holds
 * (issue 21; PROTOCOL.md, Hives). An entry is one op of a verified commit:
 * from the hive's own feed (the owner's word), a moderator's or a member's.
 * The entries are taken once each (named by commit and op index) and read in
 * stamp order (commit ts, commit id, op index; feed-state.ts), so the order
 * they arrive in, and copies, never change the result. "At its stamp" below
 * means after every entry with a smaller stamp.
 *
 * | part | rule |
 * |---|---|
 * | owner | the hive's own feed (author = hive id) is the owner's word (1) |
 * | charter | the earliest `hive` op in the hive's feed whose object names `owner`; none: no hive (2) |
 * | moderators | `hive_mod` in the hive's feed only (else NotOwner); per member, the latest by stamp |
 * | authority | a moderator's decision counts when its author was a moderator at its stamp (else NotModerator) |
 * | settings | per field, owner-preferring last writer wins (3); `listed` is false until set |
 * | joined | a member's own `join` / `leave` (naming another: NotSelf); the latest by stamp |
 * | decisions | approve, ban, unban naming another (else SelfDecision); owner-preferring last writer wins (4) |
 * | admitted | the owner and the moderators; else joined, not banned, and approved or the hive is open |
 * | submissions | shown when the author is admitted now, or was at its stamp and is not banned now (5) |
 * | votes | per (voter, target) the latest by stamp; counted as a submission is shown, on shown targets (6) |
 * | log | every counting decision by stamp, overruled ones too (7) |
 * | refusals | entries about this hive that count for nothing, each with its reason (8) |
 *
 * 1. The charter's `owner` is the owner's own pseudonym: always admitted, never banned by a moderator; but
 *    its feed's decisions are not the owner's (only the hive key's are).
 * 2. A later charter in the hive's feed counts as settings; its `owner` is ignored. A charter elsewhere:
 *    NotOwner.
 * 3. Any owner value beats any moderator value whatever their timestamps (so a moderator sets only the fields
 *    the owner never set); between two of one kind the greater stamp wins.
 * 4. A moderator's ban of the owner or of a moderator (at its stamp) does not count (Protected). banned: the
 *    winning decision is `ban`; approved: it is `approve` or `unban` (an unban restores an approval).
 * 5. A leave keeps what one said while admitted; a ban hides all of it. A submission is a `hive_post` or
 *    `hive_comment` of this hive whose object is its author's (else WrongAuthor); it is hidden when a counting
 *    `hive_remove` or its author's `delete` names it. A comment also needs its post and its parent (a comment
 *    on the same post) known (else NoPost, NoParent) and shown: a removed post or comment hides the replies.
 * 6. The existing `vote` op, +1, -1 or 0 (withdrawn); counted when its voter was admitted at the stamp of the
 *    winning vote or is now, and not banned; a target is a shown post or comment. score = ups - downs.
 * 7. charter, settings (the values set), approve, ban, unban, mod_add, mod_remove, remove (with its reason).
 * 8. NoObject (a hive, hive_post or hive_comment op held without its object), WrongAuthor, NotOwner,
 *    NotModerator, NotSelf, SelfDecision, Protected, NoPost, NoParent. An entry naming another hive is simply
 *    not about this one.
 */
import { type Stamp, compareStamps } from './feed-state.ts';
import type { CommitId, ObjectId, PseudonymId } from './ids.ts';
import type {
  HiveCommentObject,
  HiveMembership,
  HiveObject,
  HivePostObject,
  HiveSettings,
  HiveSettingsObject,
} from './hives.ts';
import { HIVE_SETTING_FIELDS } from './hives.ts';
import type { Op } from './ops.ts';

/** One op of a verified commit, as a reader holds it. */
export interface HiveEntry {
  /** The commit's author: whose feed it is (an agent's commit under delegation speaks for its owner). */
  readonly author: PseudonymId;
  readonly commit: CommitId;
  readonly ts: number;
  /** The op's index in the commit. */
  readonly index: number;
  readonly op: Op;
  /** For `hive`, `hive_post` and `hive_comment` ops: the object `op.object` names, decoded under that id. */
  readonly object?: HiveObject;
}

export type HiveRefusalReason =
  | 'NoObject'
  | 'WrongAuthor'
  | 'NotOwner'
  | 'NotModerator'
  | 'NotSelf'
  | 'SelfDecision'
  | 'Protected'
  | 'NoPost'
  | 'NoParent';

export interface HiveRefusal {
  readonly stamp: Stamp;
  readonly reason: HiveRefusalReason;
}

export type HiveRole = 'owner' | 'moderator' | 'member';

export interface HiveMemberView {
  readonly id: PseudonymId;
  readonly role: HiveRole;
  readonly joined: boolean;
  readonly approved: boolean;
  readonly banned: boolean;
  readonly admitted: boolean;
}

export interface HiveVotes {
  readonly ups: number;
  readonly downs: number;
  readonly score: number;
}

export interface HiveSubmissionView<T> {
  readonly id: ObjectId;
  readonly author: PseudonymId;
  /** The op that published it (the earliest, if published twice). */
  readonly stamp: Stamp;
  readonly object: T;
  readonly votes: HiveVotes;
}

export type HiveLogAction = 'charter' | 'settings' | 'approve' | 'ban' | 'unban' | 'mod_add' | 'mod_remove' | 'remove';

export interface HiveLogEntry {
  readonly stamp: Stamp;
  /** Whose feed: the hive id for the owner. */
  readonly by: PseudonymId;
  readonly role: 'owner' | 'moderator';
  readonly action: HiveLogAction;
  /** A member (approve, ban, unban, mod_add, mod_remove) or a submission (remove). */
  readonly target?: PseudonymId | ObjectId;
  /** The values a charter or settings op set. */
  readonly settings?: HiveSettings;
  readonly reason?: string;
}

export interface HiveCurrentSettings {
  readonly name: string;
  readonly description?: string;
  readonly rules?: string;
  readonly membership: HiveMembership;
  readonly listed: boolean;
}

export type HiveState =
  | { readonly hive: PseudonymId; readonly exists: false }
  | {
      readonly hive: PseudonymId;
      readonly exists: true;
      /** The owner's own pseudonym, as the charter names it. */
      readonly owner: PseudonymId;
      readonly charter: Stamp;
      readonly settings: HiveCurrentSettings;
      /** Sorted. */
      readonly moderators: readonly PseudonymId[];
      /** The owner, the moderators and everyone a join, leave or decision names; sorted by id. */
      readonly members: readonly HiveMemberView[];
      /** Shown posts and comments, by stamp. */
      readonly posts: readonly HiveSubmissionView<HivePostObject>[];
      readonly comments: readonly HiveSubmissionView<HiveCommentObject>[];
      readonly log: readonly HiveLogEntry[];
      /** By stamp. */
      readonly refusals: readonly HiveRefusal[];
    };

interface Preferred<V> {
  readonly value: V;
  readonly owner: boolean;
}

/** Owner-preferring last writer wins, for entries taken in stamp order: the later replaces unless it loses rank. */
function prefer<K, V>(map: Map<K, Preferred<V>>, key: K, next: Preferred<V>): void {
  if (next.owner || !map.get(key)?.owner) map.set(key, next);
}

interface Submission {
  readonly id: ObjectId;
  readonly entry: HiveEntry;
  readonly object: HivePostObject | HiveCommentObject;
  /** Whether its author was admitted at its stamp. */
  readonly admittedThen: boolean;
}

const stampOf = (e: HiveEntry): Stamp => [e.ts, e.commit, e.index];

/**
 * The state of `hive` from a set of entries: see the module comment for every rule. Never throws on what the
 * entries say: what counts for nothing is left out (and listed in `refusals`).
 */
export function hiveState(hive: PseudonymId, entries: Iterable<HiveEntry>): HiveState {
  const unique = new Map<string, HiveEntry>();
  for (const e of entries) unique.set(`${e.commit} ${e.index}`, e);
  const sorted = [...unique.values()].sort((a, b) => compareStamps(stampOf(a), stampOf(b)));
  const isCharter = (e: HiveEntry) =>
    e.author === hive && e.op.type === 'hive' && e.object?.type === 'hive' && e.object.hive === hive;
  const charter = sorted.find((e) => isCharter(e) && (e.object as HiveSettingsObject).owner !== undefined);
  const owner = (charter?.object as HiveSettingsObject | undefined)?.owner;
  if (!charter || !owner) return { hive, exists: false };

  const moderators = new Map<PseudonymId, boolean>();
  const settings = new Map<keyof HiveSettings, Preferred<unknown>>();
  const joined = new Map<PseudonymId, boolean>();
  const decisions = new Map<PseudonymId, Preferred<'approve' | 'ban' | 'unban'>>();
  const submissions = new Map<ObjectId, Submission>();
  const removed = new Set<ObjectId>();
  const deleted = new Set<string>();
  const votes = new Map<string, { voter: PseudonymId; target: ObjectId; value: -1 | 0 | 1; admittedThen: boolean }>();
  const log: HiveLogEntry[] = [];
  const refusals: HiveRefusal[] = [];

  const isModerator = (id: PseudonymId) => moderators.get(id) === true;
  const banned = (id: PseudonymId) => decisions.get(id)?.value === 'ban';
  const admitted = (id: PseudonymId): boolean => {
    if (id === owner || id === hive || isModerator(id)) return true;
    const decision = decisions.get(id)?.value;
    const open = settings.get('membership')?.value === 'open';
    return joined.get(id) === true && decision !== 'ban' && (open || decision !== undefined);
  };
  const refuse = (e: HiveEntry, reason: HiveRefusalReason) => refusals.push({ stamp: stampOf(e), reason });
  /** The owner's word, a moderator's at its stamp, or undefined (and refused) when neither. */
  const roleOf = (e: HiveEntry): 'owner' | 'moderator' | undefined => {
    if (e.author === hive) return 'owner';
    if (isModerator(e.author)) return 'moderator';
    refuse(e, 'NotModerator');
    return undefined;
  };
  const record = (e: HiveEntry, role: 'owner' | 'moderator', action: HiveLogAction, more: Partial<HiveLogEntry>) =>
    log.push({ stamp: stampOf(e), by: e.author, role, action, ...more });

  for (const e of sorted) {
    const { op } = e;
    switch (op.type) {
      case 'hive': {
        if (e.object?.type !== 'hive') refuse(e, 'NoObject');
        else if (e.object.hive !== hive) continue;
        else if (e.object.owner !== undefined && e.author !== hive) refuse(e, 'NotOwner');
        else {
          const role = roleOf(e);
          if (!role) continue;
          const set: Record<string, unknown> = {};
          for (const field of HIVE_SETTING_FIELDS) {
            const value = e.object[field];
            if (value === undefined) continue;
            set[field] = value;
            prefer(settings, field, { value, owner: role === 'owner' });
          }
          record(e, role, e === charter ? 'charter' : 'settings', { settings: set as HiveSettings });
        }
        continue;
      }
      case 'hive_member': {
        if (op.hive !== hive) continue;
        if (op.action === 'join' || op.action === 'leave') {
          if (op.member !== e.author) refuse(e, 'NotSelf');
          else joined.set(op.member, op.action === 'join');
          continue;
        }
        if (op.member === e.author) {
          refuse(e, 'SelfDecision');
          continue;
        }
        const role = roleOf(e);
        if (!role) continue;
        const protectedMember = op.member === owner || op.member === hive || isModerator(op.member);
        if (role === 'moderator' && op.action === 'ban' && protectedMember) refuse(e, 'Protected');
        else {
          prefer(decisions, op.member, { value: op.action, owner: role === 'owner' });
          record(e, role, op.action, { target: op.member });
        }
        continue;
      }
      case 'hive_mod':
        if (op.hive !== hive) continue;
        if (e.author !== hive) refuse(e, 'NotOwner');
        else {
          moderators.set(op.member, op.action === 'add');
          record(e, 'owner', op.action === 'add' ? 'mod_add' : 'mod_remove', { target: op.member });
        }
        continue;
      case 'hive_remove': {
        if (op.hive !== hive) continue;
        const role = roleOf(e);
        if (!role) continue;
        removed.add(op.target);
        record(e, role, 'remove', { target: op.target, ...(op.reason !== undefined && { reason: op.reason }) });
        continue;
      }
      case 'hive_post':
      case 'hive_comment': {
        const object = e.object;
        if (object?.type !== op.type) refuse(e, 'NoObject');
        else if (object.hive !== hive) continue;
        else if (object.author !== e.author) refuse(e, 'WrongAuthor');
        else if (!submissions.has(op.object))
          submissions.set(op.object, { id: op.object, entry: e, object, admittedThen: admitted(e.author) });
        continue;
      }
      case 'vote':
        votes.set(`${e.author} ${op.target}`, {
          voter: e.author,
          target: op.target,
          value: op.value,
          admittedThen: admitted(e.author),
        });
        continue;
      case 'delete':
        deleted.add(`${e.author} ${op.target}`);
        continue;
      default:
        continue;
    }
  }

  const speaks = (author: PseudonymId, admittedThen: boolean) => admitted(author) || (admittedThen && !banned(author));
  const shown = new Map<ObjectId, boolean>();
  const isShown = (id: ObjectId, depth = 0): boolean => {
    const known = shown.get(id);
    if (known !== undefined) return known;
    const s = submissions.get(id);
    // Ids are hashes, so a thread cannot loop; the depth bound keeps forged entries from recursing for ever.
    if (!s || depth > submissions.size) return false;
    let ok = speaks(s.entry.author, s.admittedThen) && !removed.has(id) && !deleted.has(`${s.object.author} ${id}`);
    if (s.object.type === 'hive_comment') {
      const { post, parent } = s.object;
      const above = parent === undefined ? undefined : submissions.get(parent)?.object;
      const parentOk = parent === undefined || (above?.type === 'hive_comment' && above.post === post);
      ok = ok && parentOk && (parent === undefined || isShown(parent, depth + 1));
      ok = ok && submissions.get(post)?.object.type === 'hive_post' && isShown(post, depth + 1);
    }
    shown.set(id, ok);
    return ok;
  };
  for (const s of submissions.values()) {
    if (s.object.type !== 'hive_comment') continue;
    const { post, parent } = s.object;
    if (submissions.get(post)?.object.type !== 'hive_post') refuse(s.entry, 'NoPost');
    else if (parent !== undefined) {
      const p = submissions.get(parent)?.object;
      if (p?.type !== 'hive_comment' || p.post !== post) refuse(s.entry, 'NoParent');
    }
  }

  const tally = new Map<ObjectId, { ups: number; downs: number }>();
  for (const v of votes.values()) {
    if (v.value === 0 || !speaks(v.voter, v.admittedThen) || !isShown(v.target)) continue;
    const t = tally.get(v.target) ?? { ups: 0, downs: 0 };
    tally.set(v.target, v.value > 0 ? { ...t, ups: t.ups + 1 } : { ...t, downs: t.downs + 1 });
  }
  const view = <T>(s: Submission): HiveSubmissionView<T> => {
    const { ups, downs } = tally.get(s.id) ?? { ups: 0, downs: 0 };
    const counts = { ups, downs, score: ups - downs };
    return { id: s.id, author: s.entry.author, stamp: stampOf(s.entry), object: s.object as T, votes: counts };
  };
  const shownOf = (type: 'hive_post' | 'hive_comment') =>
    [...submissions.values()].filter((s) => s.object.type === type && isShown(s.id));

  const modList = [...moderators].filter(([, on]) => on).map(([id]) => id);
  const named = new Set<PseudonymId>([owner, ...modList, ...joined.keys(), ...decisions.keys()]);
  named.delete(hive);
  const members = [...named].sort().map((id): HiveMemberView => {
    const decision = decisions.get(id)?.value;
    const role: HiveRole = id === owner ? 'owner' : isModerator(id) ? 'moderator' : 'member';
    const approved = decision === 'approve' || decision === 'unban';
    const state = { joined: joined.get(id) === true, approved, banned: decision === 'ban' };
    return { id, role, ...state, admitted: admitted(id) };
  });
  const setting = <T>(field: keyof HiveSettings) => settings.get(field)?.value as T | undefined;
  const description = setting<string>('description');
  const rules = setting<string>('rules');
  return {
    hive,
    exists: true,
    owner,
    charter: stampOf(charter),
    settings: {
      name: setting<string>('name')!,
      ...(description !== undefined && { description }),
      ...(rules !== undefined && { rules }),
      membership: setting<HiveMembership>('membership')!,
      listed: setting<boolean>('listed') ?? false,
    },
    moderators: modList.sort(),
    members,
    posts: shownOf('hive_post').map((s) => view<HivePostObject>(s)),
    comments: shownOf('hive_comment').map((s) => view<HiveCommentObject>(s)),
    log,
    refusals: refusals.sort((a, b) => compareStamps(a.stamp, b.stamp)),
  };
}
