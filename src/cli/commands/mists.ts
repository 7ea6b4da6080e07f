/**
 * `mist create | list | read | update | delete | fork` (issue 20; PROTOCOL.md
 * Mist objects): a file shared as a mist in one's own feed, each an own
 * commit made by the core's commitOwn (signed, stored and queued in one
 * step) and offered to the home hub like a post. The file's bytes travel with
 * the commit that names them (the store carries them as the commit's media).
 * Reading goes through the merge model over the held feeds (read/mists.ts);
 * a file from another feed is checked against its version before it is shown.
 */
import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { type ObjectId, hashBytes } from '../../protocol/ids.ts';
import { MIST_LIMITS, type MistObject, buildMist, checkFileName, mistIdOf } from '../../protocol/mists.ts';
import { detectArtifactType, symbolAnchors } from '../../protocol/mist-types.ts';
import { ProtocolError } from '../../protocol/errors.ts';
import { CoreError } from '../../../workers/errors.ts';
import { commitOwn } from '../../../workers/feed/local-commits.ts';
import type { Answer } from '../answer.ts';
import { readFeeds } from '../read/feeds.ts';
import { type HeldMist, type MistView, getMist, heldMists, mistFile } from '../read/mists.ts';
import { mistListWords, mistWords } from '../words/mist-words.ts';
import { type CommandContext, actingAs } from './context.ts';
import { send, sentAnswer } from './social.ts';

export interface MistFields {
  readonly title?: string;
  readonly description?: string;
  readonly tag?: readonly string[];
}

/** A file to share: its name (never a path) and its bytes. */
export interface MistFile {
  readonly name: string;
  readonly bytes: Uint8Array;
}

/** @throws CoreError TooLarge, InvalidField (empty, or a name a mist may not carry) */
function checkSize(size: number, what: string): void {
  if (size > MIST_LIMITS.contentBytes)
    throw new CoreError('TooLarge', `${what} is ${size} bytes; a mist's file may be at most 10 MiB`, { field: 'file' });
  if (size === 0) throw new CoreError('InvalidField', `${what} is empty`, { field: 'file' });
}

/**
 * The file at `path`, named by the last part of the path; its size checked before it is read (a 2 GiB file is
 * refused, not loaded).
 * @throws CoreError NotFound, TooLarge, InvalidField
 */
export function readMistFile(path: string): MistFile {
  let size: number;
  try {
    size = statSync(path).size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new CoreError('NotFound', `no file ${path}`);
    throw error;
  }
  checkSize(size, path);
  return checkedFile({ name: basename(path), bytes: new Uint8Array(readFileSync(path)) });
}

/** @throws CoreError TooLarge, InvalidField; ProtocolError InvalidField, TooLarge (the name) */
export function checkedFile(file: MistFile): MistFile {
  checkSize(file.bytes.length, file.name);
  checkFileName(file.name, 'file');
  return file;
}

/** Tags as given, lowercased, sorted and distinct (the topic rule the protocol checks). */
function tagsOf(tags: readonly string[] | undefined): string[] | undefined {
  if (tags === undefined || tags.length === 0) return undefined;
  return [...new Set(tags.map((t) => t.replace(/^#/, '').toLowerCase()))].sort();
}

/** One's own feed and those one follows, as held; with `refresh`, the follows are fetched first. */
async function ownAndFollowed(context: CommandContext, refresh = false) {
  const me = actingAs(context);
  if (refresh) await context.device.feeds.refresh(me.id); // never throws: an unreachable hub leaves what is held
  return { me, feeds: await readFeeds(context.device.store, me) };
}

/** Publishes `version` (with its file, when new) as an own commit and offers it to the home hub. */
async function publish(context: CommandContext, version: MistObject, file: Uint8Array | undefined, words: string) {
  const me = actingAs(context);
  let object: ObjectId | undefined;
  const commit = await commitOwn(context.device.deps, me.id, () => {
    const built = buildMist({ ...version, author: me.id });
    object = built.id;
    const blobs = [{ id: built.id, bytes: built.bytes }, ...(file ? [{ id: version.content, bytes: file }] : [])];
    return { ops: [{ type: 'mist', object: built.id }], posts: [], blobs };
  });
  const id = mistIdOf(me.id, version.origin ?? version.content);
  return sentAnswer({ id, object, commit: commit.id, existing: false }, words, await send(context.device, me.id));
}

/** Shares FILE as a mist; the same file shared again answers the mist already there. */
export async function createMist(context: CommandContext, file: MistFile, fields: MistFields): Promise<Answer> {
  const { me, feeds } = await ownAndFollowed(context);
  const { name, bytes } = checkedFile(file);
  const content = hashBytes(bytes);
  const id = mistIdOf(me.id, content);
  const own = feeds.find((f) => f.author === me.id)!;
  if (own.state.unmisted.has(id))
    throw new CoreError('Forbidden', `you shared ${name} before and deleted it (mist ${id}); change it to share it`, {
      field: 'file',
    });
  const held = (await heldMists(context.device.store, [own])).find((m) => m.view.id === id);
  if (held) return { json: { id, existing: true, sent: true, queued: 0 }, text: `Already shared as mist ${id}.` };
  const detected = detectArtifactType(name, bytes);
  const tags = tagsOf(fields.tag);
  const version: MistObject = {
    type: 'mist',
    author: me.id,
    name,
    content,
    size: bytes.length,
    ts: Date.now(),
    ...(fields.title && { title: fields.title }),
    ...(fields.description && { description: fields.description }),
    ...(tags && { tags }),
    artifact: detected.type,
    ...(detected.language && { language: detected.language }),
  };
  const kind = [detected.type, detected.language].filter(Boolean).join(', ');
  return publish(context, version, bytes, `Shared ${name} as mist ${id} (${kind}).`);
}

export async function listMists(context: CommandContext, options: { type?: string; mine?: boolean }) {
  const { me, feeds } = await ownAndFollowed(context, true);
  const read = options.mine ? feeds.filter((f) => f.author === me.id) : feeds;
  const mists = (await heldMists(context.device.store, read))
    .map((m) => m.view)
    .filter((v) => options.type === undefined || v.artifact === options.type);
  return { json: { mists }, text: mistListWords(mists, Date.now()) } satisfies Answer;
}

/** The hubs to ask for a feed's blobs: one's own for one's own, else where it is followed and says it lives. */
async function hubsOf(context: CommandContext, mist: MistView): Promise<string[]> {
  const me = actingAs(context);
  if (mist.author === me.id) return [...me.hubs];
  const { store } = context.device;
  const follows = (await store.listFollowHints(mist.author)).flatMap((f) => f.hubs);
  const profile = await store.findProfileField(mist.author, 'hubs');
  return [...new Set([...(Array.isArray(profile) ? (profile as string[]) : []), ...follows, ...me.hubs])];
}

async function fileOf(context: CommandContext, mist: HeldMist, version = mist.versions.at(-1)!.value) {
  const { device } = context;
  const fetchBlob = (hub: string, id: ObjectId) => device.deps.hub(hub).getBlob(id);
  return mistFile(device.store, fetchBlob, version, await hubsOf(context, mist.view));
}

/** What `mist read --json` prints: the mist, its versions, its file as text (null when it is not UTF-8). */
export async function readMist(context: CommandContext, ref: string, options: { raw?: boolean }): Promise<Answer> {
  const { feeds } = await ownAndFollowed(context, true);
  const mist = await getMist(context.device.store, feeds, ref);
  const bytes = await fileOf(context, mist);
  let text: string | null;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    text = null;
  }
  const versions = mist.versions.map((v) => ({ object: v.object, ts: v.value.ts, size: v.value.size }));
  const anchors = symbolAnchors(mist.view.name, bytes);
  const json = { ...mist.view, text, anchors, history: versions };
  // The file byte for byte, for a pipe or a file (`> hello.py`); words for a person are the default.
  if (options.raw) return { json, text: '', bytes };
  return { json, text: mistWords(mist.view, text, anchors, Date.now()) };
}

/** A new version of one's own mist: a new file, or new words about it. */
export async function updateMist(
  context: CommandContext,
  ref: string,
  given: (Omit<MistFile, 'name'> & { readonly name?: string }) | undefined,
  fields: MistFields,
): Promise<Answer> {
  const { me, feeds } = await ownAndFollowed(context);
  const mist = await getMist(context.device.store, feeds, ref);
  if (mist.view.author !== me.id)
    throw new CoreError('Forbidden', 'only its author can update a mist; fork it instead', { field: 'mist' });
  const first = mist.versions[0]!.value;
  const latest = mist.versions.at(-1)!.value;
  // New text without a name keeps the mist's file name.
  const file = given && checkedFile({ name: given.name ?? latest.name, bytes: given.bytes });
  const content = file ? hashBytes(file.bytes) : latest.content;
  if (!file && fields.title === undefined && fields.description === undefined && fields.tag === undefined)
    throw new CoreError('InvalidField', 'nothing to change: give a file, --title, --description or --tag');
  const detected = file && detectArtifactType(file.name, file.bytes);
  const { fork_of: _forkOf, origin: _origin, language: _language, ...kept } = latest;
  const tags = fields.tag === undefined ? latest.tags : tagsOf(fields.tag);
  const language = detected ? detected.language : latest.language;
  const version: MistObject = {
    ...kept,
    ...(file && { name: file.name, size: file.bytes.length, artifact: detected!.type }),
    content,
    ts: Date.now(),
    ...(content !== first.content && { origin: first.content }),
    ...(fields.title !== undefined && { title: fields.title }),
    ...(fields.description !== undefined && { description: fields.description }),
    ...(tags !== undefined && { tags }),
    ...(language !== undefined && { language }),
  };
  if (!tags) delete (version as { tags?: unknown }).tags;
  return publish(context, version, file?.bytes, `Updated mist ${mist.view.id} (version ${mist.versions.length + 1}).`);
}

export async function deleteMist(context: CommandContext, ref: string): Promise<Answer> {
  const { me, feeds } = await ownAndFollowed(context);
  const mist = await getMist(context.device.store, feeds, ref);
  if (mist.view.author !== me.id)
    throw new CoreError('Forbidden', 'only its author can delete a mist', { field: 'mist' });
  const commit = await commitOwn(context.device.deps, me.id, () => ({
    ops: [{ type: 'unmist', mist: mist.view.id }],
    posts: [],
  }));
  return sentAnswer(
    { id: mist.view.id, commit: commit.id },
    `Deleted mist ${mist.view.id}.`,
    await send(context.device, me.id),
  );
}

/** A mist of one's own that starts as another's latest version and names it as its parent. */
export async function forkMist(context: CommandContext, ref: string): Promise<Answer> {
  const { me, feeds } = await ownAndFollowed(context, true);
  const parent = await getMist(context.device.store, feeds, ref);
  const depth = (parent.view.forkOf?.depth ?? 0) + 1;
  if (depth > MIST_LIMITS.forkDepth)
    throw new ProtocolError(
      'ForkTooDeep',
      `mist ${parent.view.id} is a fork ${depth - 1} deep already; a fork may be at most ${MIST_LIMITS.forkDepth} deep`,
    );
  const latest = parent.versions.at(-1)!.value;
  const bytes = await fileOf(context, parent);
  const id = mistIdOf(me.id, latest.content);
  const own = feeds.find((f) => f.author === me.id)!;
  const held = (await heldMists(context.device.store, [own])).find((m) => m.view.id === id);
  if (held)
    return { json: { id, existing: true, sent: true, queued: 0 }, text: `You already share this file as mist ${id}.` };
  const { origin: _origin, fork_of: _forkOf, ...kept } = latest;
  const version: MistObject = {
    ...kept,
    author: me.id,
    ts: Date.now(),
    fork_of: { author: parent.view.author, mist: parent.view.id, depth },
  };
  return publish(context, version, bytes, `Forked mist ${parent.view.id} as ${id} (depth ${depth}).`);
}
