/**
 * `mist create | update | delete | fork` (issue 20; PROTOCOL.md Mist
 * objects): a file shared as a mist in one's own feed, each an own commit
 * made by the core's commitOwn (signed, stored and queued in one step) and
 * offered to the home hub like a post. The file's bytes travel with the
 * commit that names them (the store carries them as the commit's media). A
 * secret mist and its file are sealed under its link's key before they leave
 * the process; the link is printed and kept in the private state. Reading is
 * mist-read.ts.
 */
import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { type ObjectId, hashBytes } from '../../protocol/ids.ts';
import { drawContentKey, linkFragment, sealUnderKey } from '../../protocol/audience.ts';
import { recordMistLink } from '../../../workers/private/links.ts';
import { PrivateState } from '../home/private-state.ts';
import { mistLinkOf } from '../read/mist-link.ts';
import { MIST_LIMITS, type MistObject, buildMist, checkFileName, mistIdOf } from '../../protocol/mists.ts';
import { detectArtifactType } from '../../protocol/mist-types.ts';
import { ProtocolError } from '../../protocol/errors.ts';
import { CoreError } from '../../../workers/errors.ts';
import { commitOwn } from '../../../workers/feed/local-commits.ts';
import type { Answer } from '../answer.ts';
import { getMist, heldMists } from '../read/mists.ts';
import { type CommandContext, actingAs } from './context.ts';
import { fileOf, ownAndFollowed, ownKeys, ownLinks } from './mist-read.ts';
import { send, sentAnswer } from './social.ts';

export interface MistFields {
  readonly title?: string;
  readonly description?: string;
  readonly tag?: readonly string[];
  /** Sealed for whoever holds its link (create only). */
  readonly secret?: boolean;
}

const random = (length: number) => crypto.getRandomValues(new Uint8Array(length));

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

/**
 * Publishes `version` (with its file, when new) as an own commit and offers it to the home hub. A secret one is
 * sealed under `contentKey` (its file already is): the commit carries the sealed file, which no op names.
 */
async function publish(
  context: CommandContext,
  version: MistObject,
  file: Uint8Array | undefined,
  words: (commit: string) => string,
  contentKey?: Uint8Array,
  extra: (commit: string) => object = () => ({}),
) {
  const me = actingAs(context);
  let object: ObjectId | undefined;
  const commit = await commitOwn(context.device.deps, me.id, () => {
    const built = buildMist({ ...version, author: me.id });
    const sealed = contentKey && sealUnderKey(contentKey, built.bytes, random);
    object = sealed ? hashBytes(sealed) : built.id;
    const blobs = [
      { id: object, bytes: sealed ?? built.bytes },
      ...(file ? [{ id: version.content, bytes: file }] : []),
    ];
    if (!contentKey) return { ops: [{ type: 'mist', object }], posts: [], blobs };
    const carried = file ? [version.content] : [];
    return { ops: [{ type: 'mist', object, audience: 'link' }], posts: [], blobs, carried };
  });
  const id = mistIdOf(me.id, version.origin ?? version.content);
  const fields = { id, object, commit: commit.id, existing: false, ...extra(commit.id) };
  return sentAnswer(fields, words(commit.id), await send(context.device, me.id));
}

/**
 * Shares FILE as a mist; the same file shared again answers the mist already there. A secret one is sealed under
 * a fresh link's key (its file too), so it is new each time; its link is printed and kept in the private state.
 */
export async function createMist(context: CommandContext, file: MistFile, fields: MistFields): Promise<Answer> {
  const { me, feeds } = await ownAndFollowed(context);
  const { name, bytes } = checkedFile(file);
  const drawn = fields.secret ? drawContentKey({ kind: 'link' }, random) : undefined;
  const sealedFile = drawn && sealUnderKey(drawn.contentKey, bytes, random);
  const content = hashBytes(sealedFile ?? bytes);
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
  if (!drawn) return publish(context, version, bytes, () => `Shared ${name} as mist ${id} (${kind}).`);
  const key = linkFragment(drawn.linkSecret!);
  const linkOf = (commit: string) => (me.hubs[0] ? mistLinkOf(me.hubs[0], commit, key) : null);
  const answer = await publish(
    context,
    version,
    sealedFile,
    (commit) =>
      `Shared ${name} as secret mist ${id} (${kind}). Its link (whoever holds it reads it): ${linkOf(commit)}`,
    drawn.contentKey,
    (commit) => ({ secret: true, linkKey: key, link: linkOf(commit) }),
  );
  // An agent keeps none of its owner's keys (its commits are never adopted), as for link posts.
  if (!(await context.device.deps.keys.findAgent?.(me.id))) {
    const commit = (answer.json as { commit: string }).commit as never;
    PrivateState.open(context.device.home, me.name).change((doc) => recordMistLink(doc, { mist: id, commit, key }));
  }
  return answer;
}

/** A new version of one's own mist: a new file, or new words about it. */
export async function updateMist(
  context: CommandContext,
  ref: string,
  given: (Omit<MistFile, 'name'> & { readonly name?: string }) | undefined,
  fields: MistFields,
): Promise<Answer> {
  const { me, feeds } = await ownAndFollowed(context);
  const mist = await getMist(context.device.store, feeds, ref, ownKeys(context));
  if (mist.view.author !== me.id)
    throw new CoreError('Forbidden', 'only its author can update a mist; fork it instead', { field: 'mist' });
  const first = mist.versions[0]!.value;
  const latest = mist.versions.at(-1)!.value;
  // New text without a name keeps the mist's file name.
  const file = given && checkedFile({ name: given.name ?? latest.name, bytes: given.bytes });
  // A secret mist's new file is sealed under its key, as its first was.
  const { contentKey } = mist;
  const stored = file && (contentKey ? sealUnderKey(contentKey, file.bytes, random) : file.bytes);
  const content = stored ? hashBytes(stored) : latest.content;
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
  const words = `Updated mist ${mist.view.id} (version ${mist.versions.length + 1}).`;
  if (!contentKey) return publish(context, version, stored, () => words);
  // Its link names a commit: the new version's, with the same key.
  const key = ownLinks(context).get(mist.view.id)!.key;
  const linkOf = (commit: string) => (me.hubs[0] ? mistLinkOf(me.hubs[0], commit, key) : null);
  return publish(
    context,
    version,
    stored,
    (c) => `${words} Its link: ${linkOf(c)}`,
    contentKey,
    (c) => ({
      secret: true,
      linkKey: key,
      link: linkOf(c),
    }),
  );
}

export async function deleteMist(context: CommandContext, ref: string): Promise<Answer> {
  const { me, feeds } = await ownAndFollowed(context);
  const mist = await getMist(context.device.store, feeds, ref, ownKeys(context));
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
  const parent = await getMist(context.device.store, feeds, ref, ownKeys(context));
  // Its readers were chosen by its author: a fork would publish the file to everyone.
  if (parent.view.secret) throw new CoreError('Forbidden', 'a secret mist cannot be forked', { field: 'mist' });
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
  return publish(context, version, bytes, () => `Forked mist ${parent.view.id} as ${id} (depth ${depth}).`);
}
