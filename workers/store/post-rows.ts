/**
 * Post rows (db.ts PostRow): the stored row of a verified post and its
 * publishing stamp, read back as the plain view the worker reasons with, and
 * as the timeline item one viewer sees. The row keeps the post's bytes once
 * and short, binary fields beside them, because it is stored for every post.
 */
import type { AgentField } from '../../src/protocol/agents.ts';
import { linkFragment } from '../../src/protocol/link-fragment.ts';
import { resolveAudience } from '../../src/protocol/audience-resolver.ts';
import { fromBase64url, fromHex, fromUtf8, hexInto, toBase64url, toHex, utf8 } from '../../src/protocol/bytes.ts';
import type { Stamp } from '../../src/protocol/feed-state.ts';
import type { CommitId, ObjectId, PseudonymId } from '../../src/protocol/ids.ts';
import type { BuiltObject, PostObject } from '../../src/protocol/objects.ts';
import type { TimelineItem } from '../api/api-types.ts';
import type { SealedAudienceKind } from '../../src/protocol/ops.ts';
import type { SealedMark } from './apply-plan.ts';
import type { AgentMark, CoreDb, PostKey, PostRow, TimelineKey } from './db.ts';

/** A held post as the worker reads it (decoded from its row). */
export interface PostView {
  readonly id: ObjectId;
  readonly commitId: CommitId;
  /** (commit ts, commit id, op index) of its first publication. */
  readonly stamp: Stamp;
  readonly author: PseudonymId;
  readonly body: string;
  readonly ts: number;
  readonly replyTo?: ObjectId;
  readonly quoteOf?: ObjectId;
  readonly tags?: readonly string[];
  readonly media?: readonly ObjectId[];
  readonly agent?: AgentMark;
  readonly deleted?: true;
  /** A sealed post's audience (absent: public). */
  readonly audience?: SealedAudienceKind;
}

/** A row holding a post (not a stub). */
export type HeldPostRow = PostRow & { readonly text: string; readonly c: string; readonly a: string };

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const B64_CODES = Array.from(B64, (c) => c.charCodeAt(0));
const B64_VALUE = new Int8Array(128).fill(-1);
for (let i = 0; i < 64; i++) B64_VALUE[B64.charCodeAt(i)] = i;

/*
 * Both directions build their string at once (from char codes, or toHex):
 * adding a character at a time makes a string per character, and a page
 * turns every item's commit key back into an id.
 */

const ID_BYTES: Uint8Array = new Uint8Array(32);

/** A 32-byte id (hex) as a row holds it: base64url without padding, 43 characters instead of 64. */
export function idKey(id: string): string {
  // A 32-byte id is read into one reused array: an ArrayBuffer per call was most of this function's cost.
  let bytes = ID_BYTES;
  if (id.length === 64) hexInto(id, ID_BYTES, 0);
  else bytes = fromHex(id);
  const codes: number[] = [];
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    const chars = i + 2 < bytes.length ? 4 : i + 1 < bytes.length ? 3 : 2;
    for (let j = 0; j < chars; j++) codes.push(B64_CODES[(n >> (18 - 6 * j)) & 63]!);
  }
  return String.fromCharCode(...codes);
}

/** The bytes of one idOfKey, reused. */
const keyBytes = new Uint8Array(48);

/** The hex id of an idKey (read on every item of a page, so by table, not atob). */
export function idOfKey(key: string): string {
  const bytes = key.length <= 64 ? keyBytes : new Uint8Array(Math.ceil((key.length * 3) / 4));
  let at = 0;
  for (let i = 0; i < key.length; i += 4) {
    const chars = Math.min(4, key.length - i);
    let n = 0;
    for (let j = 0; j < 4; j++) n = (n << 6) | (j < chars ? B64_VALUE[key.charCodeAt(i + j)]! : 0);
    bytes[at++] = (n >> 16) & 255;
    if (chars > 2) bytes[at++] = (n >> 8) & 255;
    if (chars > 3) bytes[at++] = n & 255;
  }
  return toHex(bytes.subarray(0, at));
}

/**
 * A local pseudonym as the rows that it sees name it: the first 64 bits of its
 * id. Only the few pseudonyms on this device are ever told apart by it, and
 * their keys are made here, so a shared prefix cannot be forced.
 */
export function viewerTag(viewer: PseudonymId): string {
  return viewer.slice(0, 16);
}

export function isHeldPost(row: PostRow | undefined): row is HeldPostRow {
  return row?.text !== undefined;
}

/** The merge-rule part of a post's row (no view yet: timeline-rows.ts adds it). */
export function basePostRow(post: BuiltObject<PostObject>, stamp: Stamp, agent?: AgentField): HeldPostRow {
  const { author, ts, reply_to } = post.value;
  return {
    k: postKeyOf(ts, post.id),
    id: post.id,
    text: fromUtf8(post.bytes),
    c: idKey(stamp[1]),
    a: idKey(author),
    ...(stamp[0] !== ts && { st: stamp[0] }),
    ...(stamp[2] !== 0 && { o: stamp[2] }),
    ...(reply_to !== undefined && { rt: reply_to }),
    ...(agent && { ag: agentMarkOf(agent) }),
  };
}

/**
 * The row fields of a sealed post: its audience, the local readers that opened it, its content key, the author's
 * link secret.
 */
export function sealedFields(mark: SealedMark): Pick<PostRow, 'au' | 'rd' | 'lk' | 'ck'> {
  return {
    au: mark.audience,
    ...(mark.readers.length > 0 && { rd: mark.readers.map(viewerTag) }),
    ...(mark.contentKey && { ck: toBase64url(mark.contentKey) }),
    ...(mark.linkSecret && { lk: toBase64url(mark.linkSecret) }),
  };
}

/**
 * Whether a local viewer may see a post row, by its audience (resolveAudience, the one rule): a public post
 * always, a sealed one by its author and the local readers that opened it. Blocks are not asked here: a row
 * holds no block state, and every read view hides blocked feeds' posts, sealed or not, before showing any
 * (api.ts filterTimeline), so a block still comes first.
 */
export function audienceAdmits(row: Pick<PostRow, 'au' | 'rd'>, author: PseudonymId, viewer: PseudonymId): boolean {
  return resolveAudience({
    viewer,
    author,
    audience: row.au ?? 'public',
    authorBlocksViewer: false,
    viewerBlocksAuthor: false,
    viewerHoldsKey: row.rd?.includes(viewerTag(viewer)) ?? false,
  }).visible;
}

/**
 * A held post's base row at another publishing stamp (a revocation moved it). A sealed post's row keeps its
 * audience fields, and its opened bytes are not re-hashed: they are not what its id names.
 */
export function restampedRow(held: HeldPostRow, stamp: Stamp, agent?: AgentField): HeldPostRow {
  const object = { id: held.id, bytes: utf8(held.text), value: postValueOf(held) };
  const { au, rd, lk, ck } = held;
  const sealed = { ...(au && { au }), ...(rd && { rd }), ...(lk && { lk }), ...(ck && { ck }) };
  return { ...basePostRow(object, stamp, agent), ...sealed };
}

/** What a post row keeps of the agent that wrote its commit (verified before it is stored). */
function agentMarkOf(agent: AgentField): NonNullable<PostRow['ag']> {
  const name = agent.delegation?.name;
  return {
    id: agent.id,
    model: agent.model,
    delegated: agent.delegation !== undefined,
    ...(name !== undefined && { name }),
  };
}

/** The post's ts (held rows; a stub's key says Infinity). */
export function tsOf(row: PostRow): number {
  return -row.k[0];
}

export function stampOf(row: HeldPostRow): Stamp {
  return [row.st ?? tsOf(row), idOfKey(row.c) as CommitId, row.o ?? 0];
}

/** The row kept for a post some held row names before the post itself is held. */
export function stubRow(id: ObjectId): PostRow {
  return { k: [Infinity, ...tieOf(id)], id };
}

/** The post object's fields. Stored bytes were verified on the way in: parsing is enough. */
export function postValueOf(row: HeldPostRow): PostObject {
  return JSON.parse(row.text) as PostObject;
}

export function postViewOf(row: HeldPostRow): PostView {
  const { author, body, ts, reply_to, quote_of, tags, media } = postValueOf(row);
  return {
    id: row.id,
    commitId: idOfKey(row.c) as CommitId,
    stamp: stampOf(row),
    author,
    body,
    ts,
    ...(reply_to !== undefined && { replyTo: reply_to }),
    ...(quote_of !== undefined && { quoteOf: quote_of }),
    ...(tags && { tags }),
    ...(media && { media }),
    ...(row.ag && { agent: row.ag }),
    ...(row.del && { deleted: true }),
    ...(row.au && { audience: row.au }),
  };
}

/**
 * The tie-break of equal times: the first 104 bits of the complemented id as
 * two numbers (16 bytes, not 64), so ascending order is descending id order.
 * It is part of the post's key, so it must not collide: 104 bits cannot be
 * ground to match another post's, 52 could.
 */
export function tieOf(id: ObjectId): [number, number] {
  return [0xfffffffffffff - parseInt(id.slice(0, 13), 16), 0xfffffffffffff - parseInt(id.slice(13, 26), 16)];
}

/** Newest first is ascending key order: a page is one bounded getAll on the store. */
export function postKeyOf(ts: number, id: ObjectId): PostKey {
  return [-ts, ...tieOf(id)];
}

/** Post keys in timeline order (newest first is ascending). */
export function compareKeys(a: PostKey, b: PostKey): number {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1;
  return 0;
}

/** A media index key: the post key under a viewer. */
export function mediaKeyOf(viewer: string, ts: number, id: ObjectId): TimelineKey {
  return [viewer, -ts, ...tieOf(id)];
}

/** True when the row is on `viewer`'s timeline. */
export function seenBy(row: PostRow, viewer: string): boolean {
  return row.vw?.includes(viewer) ?? false;
}

/**
 * The item as `viewer` sees it; `withView` false gives the plain verified
 * item (a held post not on the viewer's timeline, e.g. in a thread), still
 * with its author's published name, which is the same for every viewer.
 */
export function itemOf(row: HeldPostRow, viewer: PseudonymId, withView = true): TimelineItem {
  const value = postValueOf(row);
  const own = withView ? row.v?.[viewer] : undefined;
  return {
    id: row.id,
    commitId: idOfKey(row.c) as CommitId,
    author: value.author,
    body: withView && row.eb !== undefined ? row.eb : value.body,
    ts: value.ts,
    verified: true,
    queued: false,
    ...(own?.h !== undefined && { authorHandle: own.h }),
    ...(row.an !== undefined && { authorName: row.an }),
    ...(value.reply_to !== undefined && { replyTo: value.reply_to }),
    ...(value.quote_of !== undefined && { quoteOf: value.quote_of }),
    ...(value.tags && { tags: value.tags }),
    ...(value.media && { media: value.media }),
    ...(withView && row.ed && { edited: true }),
    ...(own?.rb && { repostedBy: own.rb }),
    ...(withView &&
      row.rx && { reactions: row.rx.map((r) => ({ emoji: r.e, count: r.n, mine: r.m?.includes(viewer) ?? false })) }),
    ...(withView && row.rc && { replies: row.rc }),
    ...(withView &&
      row.vo && {
        votes: { up: row.vo.u, down: row.vo.d, mine: row.vo.m?.find(([id]) => id === viewer)?.[1] ?? 0 },
      }),
    ...(row.ag && { agent: row.ag }),
    ...(row.au && { audience: row.au }),
    ...(row.lk !== undefined && value.author === viewer && { linkKey: linkFragment(fromBase64url(row.lk)!) }),
  };
}

/** The author of a post held on this device (undefined for a post not held, or only named so far). */
export async function postAuthorOf(db: CoreDb, id: ObjectId): Promise<PseudonymId | undefined> {
  const row = await db.getFromIndex('posts', 'byId', id);
  return isHeldPost(row) ? (idOfKey(row.a) as PseudonymId) : undefined;
}

/** Every key [author, post key] of the byAuthorTs index for `author`, newest first ascending. */
export function authorRange(
  author: PseudonymId,
  from: PostKey = [-Infinity, -Infinity, -Infinity],
  to: PostKey = [Infinity, Infinity, Infinity],
  open = [false, false],
): IDBKeyRange {
  const a = idKey(author);
  return IDBKeyRange.bound([a, from], [a, to], open[0], open[1]);
}

/** The `vo` field: standing up and down votes, and the local voters' own (none when nobody votes). */
export function voteView(
  votes: readonly { voter: PseudonymId; value: -1 | 0 | 1 }[],
  local: ReadonlySet<PseudonymId>,
): Pick<PostRow, 'vo'> {
  const u = votes.filter((x) => x.value === 1).length;
  const d = votes.filter((x) => x.value === -1).length;
  const m = votes
    .filter((x) => x.value !== 0 && local.has(x.voter))
    .map((x) => [x.voter, x.value] as const)
    .sort();
  if (u === 0 && d === 0) return {};
  return { vo: { u, d, ...(m.length > 0 && { m: m as (readonly [PseudonymId, -1 | 1])[] }) } };
}
