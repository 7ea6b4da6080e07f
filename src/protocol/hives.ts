/**
 * Hives (issue 21; PROTOCOL.md, Hives): communities of posts, threaded
 * comments and votes from many feeds. A hive is a key of its own (its public
 * key, a pseudonym id, is the hive id); its own feed holds its owner's
 * decisions, and moderators and members act in their own feeds. This module
 * owns the three content objects, canonical and named by their sha256 like a
 * post (objects.ts):
 *
 * - `hive`: settings, each field merged on its own (hive-state.ts); the
 *   charter is the settings object that names the `owner` (and the nonce of
 *   the hive key, hive-key.ts);
 * - `hive_post`: a submission with a title and a body, a link, or both;
 * - `hive_comment`: a comment on a hive post, under another comment or at the
 *   top level.
 *
 * The ops that publish them and the decisions about members and moderators
 * are in hive-ops.ts; what a set of them means is hive-state.ts.
 */
import { isLowerHex } from './bytes.ts';
import { type Canonical, decodeCanonical, encodeCanonical } from './canonical.ts';
import { ProtocolError } from './errors.ts';
import {
  CONTROL,
  CONTROL_IN_TEXT,
  invalid,
  readInt,
  readObjectId,
  readPseudonymId,
  readText,
  requireKeys,
} from './fields.ts';
import { HIVE_NONCE_BYTES } from './hive-key.ts';
import { type ObjectId, type PseudonymId, hashBytes } from './ids.ts';
import type { BuiltObject } from './objects.ts';

export const HIVE_LIMITS = {
  /** Code points of a hive's name: one line, not blank. */
  nameChars: 64,
  descriptionChars: 1024,
  rulesChars: 10_000,
  /** A hive post's title: one line, not blank. */
  titleChars: 300,
  bodyChars: 10_000,
  /** An http(s) URL without whitespace. */
  linkChars: 2048,
  /** A moderation removal's public reason: one line. */
  reasonChars: 500,
} as const;

export const HIVE_MEMBERSHIPS = ['open', 'approval'] as const;
/** `open`: whoever joins is a member; `approval`: a member once the owner or a moderator approves. */
export type HiveMembership = (typeof HIVE_MEMBERSHIPS)[number];

/** The settings a `hive` object may carry, each merged on its own. */
export interface HiveSettings {
  readonly name?: string;
  readonly description?: string;
  readonly rules?: string;
  readonly membership?: HiveMembership;
  /** Whether the hive asks to be listed in directories. */
  readonly listed?: boolean;
}
export type HiveSettingField = keyof HiveSettings;
export const HIVE_SETTING_FIELDS: readonly HiveSettingField[] = [
  'name',
  'description',
  'rules',
  'membership',
  'listed',
];

export interface HiveSettingsObject extends HiveSettings {
  readonly type: 'hive';
  /** The hive id: the hive key's pseudonym. */
  readonly hive: PseudonymId;
  /** Milliseconds since the Unix epoch, as the writer's clock saw it. */
  readonly ts: number;
  /** Only in the charter: the owner's own pseudonym. A charter also names the hive and its membership. */
  readonly owner?: PseudonymId;
  /**
   * Only in the charter, and there always: the public nonce the hive key was derived with from the owner's key
   * (hive-key.ts), so each of the owner's devices can sign as the hive.
   */
  readonly nonce?: string;
}

export interface HivePostObject {
  readonly type: 'hive_post';
  readonly hive: PseudonymId;
  readonly author: PseudonymId;
  readonly ts: number;
  readonly title: string;
  /** At least one of body and link. */
  readonly body?: string;
  readonly link?: string;
}

export interface HiveCommentObject {
  readonly type: 'hive_comment';
  readonly hive: PseudonymId;
  readonly author: PseudonymId;
  readonly ts: number;
  /** The hive post's object id. */
  readonly post: ObjectId;
  /** The comment replied to (its object id); absent at the top level. */
  readonly parent?: ObjectId;
  readonly body: string;
}

export type HiveObject = HiveSettingsObject | HivePostObject | HiveCommentObject;

type Raw = { [key: string]: Canonical };

const SETTINGS_KEYS = ['type', 'hive', 'ts', 'owner', 'nonce', ...HIVE_SETTING_FIELDS] as const;
const POST_KEYS = ['type', 'hive', 'author', 'ts', 'title', 'body', 'link'] as const;
const COMMENT_KEYS = ['type', 'hive', 'author', 'ts', 'post', 'parent', 'body'] as const;
const LINK = /^https?:\/\/\S+$/;

/** The bytes, checked against `expectedId` when given, as a canonical object. */
function decodeRaw(bytes: Uint8Array, expectedId: ObjectId | undefined): { id: ObjectId; raw: Raw } {
  const id = hashBytes(bytes);
  if (expectedId !== undefined && id !== expectedId)
    throw new ProtocolError('HashMismatch', `bytes hash to ${id}, not ${expectedId}`);
  const raw = decodeCanonical(bytes);
  if (typeof raw !== 'object' || Array.isArray(raw)) throw new ProtocolError('DecodeError', 'expected an object');
  return { id, raw };
}

function ofType(raw: Raw, type: HiveObject['type']): Raw {
  if (raw.type !== type) throw new ProtocolError('DecodeError', `expected a ${type} object`);
  return raw;
}

/** One line of at least one non-space character. */
function readLine(raw: Raw, field: string, max: number, optional = false): string | undefined {
  const text = readText(raw, field, max, CONTROL, optional);
  if (text !== undefined && text.trim() === '') throw invalid(field, 'expected some text');
  return text;
}

/** Text with lines; `blank` allows the empty string (a setting cleared). */
function readLines(raw: Raw, field: string, max: number, blank: boolean): string | undefined {
  const text = readText(raw, field, max, CONTROL_IN_TEXT, true);
  if (text !== undefined && !blank && text.trim() === '') throw invalid(field, 'expected some text');
  return text;
}

/**
 * @param expectedId when given, the bytes must hash to it.
 * @throws ProtocolError HashMismatch, DecodeError, NonCanonical, InvalidField, TooLarge, MalformedId
 */
export function decodeHiveSettings(bytes: Uint8Array, expectedId?: ObjectId): BuiltObject<HiveSettingsObject> {
  const { id, raw } = decodeRaw(bytes, expectedId);
  return { id, bytes, value: readSettings(ofType(raw, 'hive')) };
}

function readSettings(raw: Raw): HiveSettingsObject {
  requireKeys(raw, SETTINGS_KEYS, 'hive');
  const hive = readPseudonymId(raw, 'hive');
  const ts = readInt(raw, 'ts', 0);
  const owner = raw.owner === undefined ? undefined : readPseudonymId(raw, 'owner');
  const name = readLine(raw, 'name', HIVE_LIMITS.nameChars, true);
  const description = readLines(raw, 'description', HIVE_LIMITS.descriptionChars, true);
  const rules = readLines(raw, 'rules', HIVE_LIMITS.rulesChars, true);
  const membership = raw.membership;
  if (membership !== undefined && !HIVE_MEMBERSHIPS.includes(membership as HiveMembership))
    throw invalid('membership', 'expected open or approval');
  const listed = raw.listed;
  if (listed !== undefined && typeof listed !== 'boolean') throw invalid('listed', 'expected true or false');
  const nonce = raw.nonce;
  if (nonce !== undefined && !isLowerHex(nonce, HIVE_NONCE_BYTES))
    throw invalid('nonce', `expected ${HIVE_NONCE_BYTES * 2} lowercase hex characters`);
  if ((owner === undefined) !== (nonce === undefined)) throw invalid('hive', 'a charter names its owner and nonce');
  if (owner !== undefined && (name === undefined || membership === undefined))
    throw invalid('hive', 'a charter (the object naming the owner) names the hive and its membership');
  const settings: HiveSettingsObject = {
    type: 'hive',
    hive,
    ts,
    ...(owner !== undefined && { owner, nonce: nonce as string }),
    ...(name !== undefined && { name }),
    ...(description !== undefined && { description }),
    ...(rules !== undefined && { rules }),
    ...(membership !== undefined && { membership: membership as HiveMembership }),
    ...(listed !== undefined && { listed }),
  };
  if (!HIVE_SETTING_FIELDS.some((field) => settings[field] !== undefined))
    throw invalid('hive', 'sets no field (name, description, rules, membership, listed)');
  return settings;
}

/**
 * @param expectedId when given, the bytes must hash to it.
 * @throws ProtocolError HashMismatch, DecodeError, NonCanonical, InvalidField, TooLarge, MalformedId
 */
export function decodeHivePost(bytes: Uint8Array, expectedId?: ObjectId): BuiltObject<HivePostObject> {
  const { id, raw } = decodeRaw(bytes, expectedId);
  return { id, bytes, value: readPost(ofType(raw, 'hive_post')) };
}

function readPost(raw: Raw): HivePostObject {
  requireKeys(raw, POST_KEYS, 'hive_post');
  const hive = readPseudonymId(raw, 'hive');
  const author = readPseudonymId(raw, 'author');
  const ts = readInt(raw, 'ts', 0);
  const title = readLine(raw, 'title', HIVE_LIMITS.titleChars)!;
  const body = readLines(raw, 'body', HIVE_LIMITS.bodyChars, false);
  const link = readText(raw, 'link', HIVE_LIMITS.linkChars, CONTROL, true);
  if (link !== undefined && !LINK.test(link)) throw invalid('link', 'expected an http(s) URL without spaces');
  if (body === undefined && link === undefined) throw invalid('hive_post', 'a hive post has a body, a link or both');
  return {
    type: 'hive_post',
    hive,
    author,
    ts,
    title,
    ...(body !== undefined && { body }),
    ...(link !== undefined && { link }),
  };
}

/**
 * @param expectedId when given, the bytes must hash to it.
 * @throws ProtocolError HashMismatch, DecodeError, NonCanonical, InvalidField, TooLarge, MalformedId
 */
export function decodeHiveComment(bytes: Uint8Array, expectedId?: ObjectId): BuiltObject<HiveCommentObject> {
  const { id, raw } = decodeRaw(bytes, expectedId);
  return { id, bytes, value: readComment(ofType(raw, 'hive_comment')) };
}

function readComment(raw: Raw): HiveCommentObject {
  requireKeys(raw, COMMENT_KEYS, 'hive_comment');
  const hive = readPseudonymId(raw, 'hive');
  const author = readPseudonymId(raw, 'author');
  const ts = readInt(raw, 'ts', 0);
  const post = readObjectId(raw, 'post')!;
  const parent = readObjectId(raw, 'parent', true);
  if (parent === post) throw invalid('parent', 'a comment on the post itself leaves parent out');
  const body = readLines(raw, 'body', HIVE_LIMITS.bodyChars, false)!;
  return { type: 'hive_comment', hive, author, ts, post, ...(parent !== undefined && { parent }), body };
}

/**
 * Any of the three, by its `type`.
 * @throws ProtocolError DecodeError (not a hive object), and as the decoder of its type
 */
export function decodeHiveObject(bytes: Uint8Array, expectedId?: ObjectId): BuiltObject<HiveObject> {
  const { id, raw } = decodeRaw(bytes, expectedId);
  const read = raw.type === 'hive' ? readSettings : raw.type === 'hive_post' ? readPost : readComment;
  if (raw.type !== 'hive' && raw.type !== 'hive_post' && raw.type !== 'hive_comment')
    throw new ProtocolError('DecodeError', 'expected a hive, hive_post or hive_comment object');
  return { id, bytes, value: read(raw) };
}

/** @throws ProtocolError (as decodeHiveSettings) when the settings are not valid. */
export function buildHiveSettings(settings: Omit<HiveSettingsObject, 'type'>): BuiltObject<HiveSettingsObject> {
  return decodeHiveSettings(encodeCanonical({ type: 'hive', ...settings }));
}

/** @throws ProtocolError (as decodeHivePost) when the post is not valid. */
export function buildHivePost(post: Omit<HivePostObject, 'type'>): BuiltObject<HivePostObject> {
  return decodeHivePost(encodeCanonical({ type: 'hive_post', ...post }));
}

/** @throws ProtocolError (as decodeHiveComment) when the comment is not valid. */
export function buildHiveComment(comment: Omit<HiveCommentObject, 'type'>): BuiltObject<HiveCommentObject> {
  return decodeHiveComment(encodeCanonical({ type: 'hive_comment', ...comment }));
}
