/**
 * `mist create | update | delete | fork` (issue 20; PROTOCOL.md Mist
 * objects): a file shared as a mist in one's own feed, each an own commit
 * made by the core's commitOwn (signed, stored and queued in one step) and
 * offered to the home hub like a post; the versions and commits are those the
 * app's worker makes (workers/feed/mist-versions.ts). A secret mist and its
 * file are sealed under its link's key before they leave the process; the link
 * is printed and kept in the private state. Reading is mist-read.ts.
 */
import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { hashBytes } from '../../protocol/ids.ts';
import { drawContentKey, linkFragment } from '../../protocol/audience.ts';
import { recordMistLink } from '../../../workers/private/links.ts';
import { PrivateState } from '../home/private-state.ts';
import { mistLinkOf } from '../../protocol/mist-link.ts';
import { type MistObject, mistIdOf } from '../../protocol/mists.ts';
import { CoreError } from '../../../workers/errors.ts';
import {
  type MistFile,
  checkMistSize,
  checkedFile,
  firstVersion,
  forkVersion,
  nextVersion,
  publishMist,
  publishUnmist,
  storedFile,
} from '../../../workers/feed/mist-versions.ts';
import type { Answer } from '../answer.ts';
import { getMist, heldMists } from '../../../workers/read/mists.ts';
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

const wordsOf = (fields: MistFields) => ({
  ...(fields.title !== undefined && { title: fields.title }),
  ...(fields.description !== undefined && { description: fields.description }),
  ...(fields.tag !== undefined && { tags: fields.tag }),
});

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
  checkMistSize(size, path);
  return checkedFile({ name: basename(path), bytes: new Uint8Array(readFileSync(path)) });
}

/** Publishes `version` (with its stored file, when new) and offers it to the home hub. */
async function publish(
  context: CommandContext,
  version: MistObject,
  file: Uint8Array | undefined,
  words: (commit: string) => string,
  contentKey?: Uint8Array,
  extra: (commit: string) => object = () => ({}),
) {
  const me = actingAs(context);
  const { id, object, commit } = await publishMist(context.device.deps, version, file, contentKey);
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
  const random = (length: number) => crypto.getRandomValues(new Uint8Array(length));
  const drawn = fields.secret ? drawContentKey({ kind: 'link' }, random) : undefined;
  const sealedFile = drawn && storedFile(bytes, drawn.contentKey);
  const content = hashBytes(sealedFile ?? bytes);
  const id = mistIdOf(me.id, content);
  const own = feeds.find((f) => f.author === me.id)!;
  if (own.state.unmisted.has(id))
    throw new CoreError('Forbidden', `you shared ${name} before and deleted it (mist ${id}); change it to share it`, {
      field: 'file',
    });
  const held = (await heldMists(context.device.store, [own])).find((m) => m.view.id === id);
  if (held) return { json: { id, existing: true, sent: true, queued: 0 }, text: `Already shared as mist ${id}.` };
  const version = firstVersion(me.id, { name, bytes }, content, wordsOf(fields), Date.now());
  const kind = [version.artifact, version.language].filter(Boolean).join(', ');
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
  const latest = mist.versions.at(-1)!.value;
  // New text without a name keeps the mist's file name.
  const file = given && checkedFile({ name: given.name ?? latest.name, bytes: given.bytes });
  // A secret mist's new file is sealed under its key, as its first was.
  const { contentKey } = mist;
  const stored = file && storedFile(file.bytes, contentKey);
  const version = nextVersion(mist, file, stored && hashBytes(stored), wordsOf(fields), Date.now());
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
  const commit = await publishUnmist(context.device.deps, me.id, mist.view.id);
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
  const version = forkVersion(me.id, parent, Date.now());
  const depth = version.fork_of!.depth;
  const latest = parent.versions.at(-1)!.value;
  const bytes = await fileOf(context, parent);
  const id = mistIdOf(me.id, latest.content);
  const own = feeds.find((f) => f.author === me.id)!;
  const held = (await heldMists(context.device.store, [own])).find((m) => m.view.id === id);
  if (held)
    return { json: { id, existing: true, sent: true, queued: 0 }, text: `You already share this file as mist ${id}.` };
  return publish(context, version, bytes, () => `Forked mist ${parent.view.id} as ${id} (depth ${depth}).`);
}
