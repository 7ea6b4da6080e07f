/**
 * Hive entries for tests (hive-state.test.ts, hive-properties.test.ts): the
 * ops a reader holds, each with the object it names built by the real
 * builders (hives.ts), so every object id is its bytes' hash.
 */
import type { HiveEntry } from '../hive-state.ts';
import type { HiveMemberAction, HiveModAction } from '../hive-ops.ts';
import { type HiveSettings, buildHiveComment, buildHivePost, buildHiveSettings } from '../hives.ts';
import type { CommitId, ObjectId, PseudonymId } from '../ids.ts';
import type { Op } from '../ops.ts';

export const hex = (n: number) => n.toString(16).padStart(64, '0');
const person = (n: number) => hex(n) as PseudonymId;

export const HIVE = person(0x41);
export const OWNER = person(0x42);
export const MOD = person(0x43);
export const MOD2 = person(0x44);
export const ALICE = person(0x45);
export const BOB = person(0x46);
export const CAROL = person(0x47);
export const OTHER_HIVE = person(0x48);
export const NONCE = '5a'.repeat(16);

/** Commit ids, distinct across every maker. */
let nextCommit = 1;

/** Makes entries with distinct commit ids (or the one given, to test ties). */
export class EntryMaker {
  readonly hive: PseudonymId;

  constructor(hive: PseudonymId = HIVE) {
    this.hive = hive;
  }

  entry(author: PseudonymId, ts: number, op: Op, object?: HiveEntry['object'], commit?: string): HiveEntry {
    const id = (commit ?? hex(0xc0000 + nextCommit++)) as CommitId;
    return { author, commit: id, ts, index: 0, op, ...(object && { object }) };
  }

  charter(ts: number, settings: HiveSettings = {}, owner = OWNER): HiveEntry {
    const fields = { name: 'Rust', membership: 'open' as const, ...settings };
    const built = buildHiveSettings({ hive: this.hive, ts, owner, nonce: NONCE, ...fields });
    return this.entry(this.hive, ts, { type: 'hive', object: built.id }, built.value);
  }

  settings(author: PseudonymId, ts: number, settings: HiveSettings, commit?: string): HiveEntry {
    const built = buildHiveSettings({ hive: this.hive, ts, ...settings });
    return this.entry(author, ts, { type: 'hive', object: built.id }, built.value, commit);
  }

  member(author: PseudonymId, ts: number, action: HiveMemberAction, member = author): HiveEntry {
    return this.entry(author, ts, { type: 'hive_member', hive: this.hive, member, action });
  }

  mod(author: PseudonymId, ts: number, member: PseudonymId, action: HiveModAction): HiveEntry {
    return this.entry(author, ts, { type: 'hive_mod', hive: this.hive, member, action });
  }

  post(author: PseudonymId, ts: number, title = `post ${ts}`, objectAuthor = author): HiveEntry {
    const built = buildHivePost({ hive: this.hive, author: objectAuthor, ts, title, body: `${title}, by ${author}` });
    return this.entry(author, ts, { type: 'hive_post', object: built.id }, built.value);
  }

  comment(author: PseudonymId, ts: number, post: ObjectId, parent?: ObjectId): HiveEntry {
    const body = `comment ${ts}`;
    const built = buildHiveComment({ hive: this.hive, author, ts, post, ...(parent && { parent }), body });
    return this.entry(author, ts, { type: 'hive_comment', object: built.id }, built.value);
  }

  vote(author: PseudonymId, ts: number, target: ObjectId, value: -1 | 0 | 1): HiveEntry {
    return this.entry(author, ts, { type: 'vote', target, value });
  }

  remove(author: PseudonymId, ts: number, target: ObjectId, reason?: string): HiveEntry {
    return this.entry(author, ts, { type: 'hive_remove', hive: this.hive, target, ...(reason && { reason }) });
  }

  delete(author: PseudonymId, ts: number, target: ObjectId): HiveEntry {
    return this.entry(author, ts, { type: 'delete', target });
  }
}

/** The object id a hive_post or hive_comment entry publishes. */
export function idOf(entry: HiveEntry): ObjectId {
  if (entry.op.type !== 'hive_post' && entry.op.type !== 'hive_comment') throw new TypeError('not a submission');
  return entry.op.object;
}
