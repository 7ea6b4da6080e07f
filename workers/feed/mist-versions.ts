/**
 * Making mists (PROTOCOL.md, Mist objects), alike for the app's worker and the command line: the checks a file
 * passes before it is shared, the version each action makes (a first version, the next one, a fork), and the
 * own commit that publishes a version with its file. A secret mist and its file are sealed under its link's key
 * before they are stored, so nothing readable of it ever leaves the device. Reading is workers/read/mists.ts.
 */
import { sealUnderKey } from '../../src/protocol/audience.ts';
import type { SignedCommit } from '../../src/protocol/commits.ts';
import { ProtocolError } from '../../src/protocol/errors.ts';
import { type ObjectId, type PseudonymId, hashBytes } from '../../src/protocol/ids.ts';
import { detectArtifactType } from '../../src/protocol/mist-types.ts';
import {
  type ForkOf,
  MIST_LIMITS,
  type MistId,
  type MistObject,
  buildMist,
  checkFileName,
  mistIdOf,
} from '../../src/protocol/mists.ts';
import { CoreError } from '../errors.ts';
import { type OwnCommitDeps, commitOwn } from './local-commits.ts';

/** A file to share: its name (never a path) and its bytes. */
export interface MistFile {
  readonly name: string;
  readonly bytes: Uint8Array;
}

/** What a person writes about a mist; `tags` as typed (a leading # is dropped). */
export interface MistFields {
  readonly title?: string;
  readonly description?: string;
  readonly tags?: readonly string[];
}

/** A held mist's versions, oldest first, as workers/read/mists.ts reads them (HeldMist). */
interface MistHistory {
  readonly versions: readonly { readonly value: MistObject }[];
}

/** A mist to fork: its versions and what its view says of it. */
interface ForkParent extends MistHistory {
  readonly view: {
    readonly id: MistId;
    readonly author: PseudonymId;
    readonly secret: boolean;
    readonly forkOf: ForkOf | null;
  };
}

const random = (length: number) => crypto.getRandomValues(new Uint8Array(length));

/**
 * A file's size, before its bytes are read where it can be (a 2 GiB file is refused, not loaded).
 * @throws CoreError TooLarge, InvalidField (empty)
 */
export function checkMistSize(size: number, what: string): void {
  if (size > MIST_LIMITS.contentBytes)
    throw new CoreError('TooLarge', `${what} is ${size} bytes; a mist's file may be at most 10 MiB`, { field: 'file' });
  if (size === 0) throw new CoreError('InvalidField', `${what} is empty`, { field: 'file' });
}

/** @throws CoreError TooLarge, InvalidField; ProtocolError InvalidField, TooLarge (a name a mist may not carry) */
export function checkedFile(file: MistFile): MistFile {
  checkMistSize(file.bytes.length, file.name);
  checkFileName(file.name, 'file');
  return file;
}

/** Tags as given, lowercased, sorted and distinct (the topic rule the protocol checks); undefined for none. */
export function mistTags(tags: readonly string[] | undefined): string[] | undefined {
  if (tags === undefined || tags.length === 0) return undefined;
  return [...new Set(tags.map((t) => t.replace(/^#/, '').toLowerCase()))].sort();
}

/** A mist's first version: `content` is the stored file's id (the sealed one's, for a secret mist). */
export function firstVersion(
  author: PseudonymId,
  file: MistFile,
  content: ObjectId,
  fields: MistFields,
  ts: number,
): MistObject {
  const detected = detectArtifactType(file.name, file.bytes);
  const tags = mistTags(fields.tags);
  return {
    type: 'mist',
    author,
    name: file.name,
    content,
    size: file.bytes.length,
    ts,
    ...(fields.title && { title: fields.title }),
    ...(fields.description && { description: fields.description }),
    ...(tags && { tags }),
    artifact: detected.type,
    ...(detected.language && { language: detected.language }),
  };
}

/**
 * The version after `mist`'s latest: a new file (`content` its stored id), new words, or both; a field left
 * undefined keeps its value, an empty title or description drops it, empty tags drop them.
 * @throws CoreError InvalidField (nothing to change)
 */
export function nextVersion(
  mist: MistHistory,
  file: MistFile | undefined,
  content: ObjectId | undefined,
  fields: MistFields,
  ts: number,
): MistObject {
  if (!file && fields.title === undefined && fields.description === undefined && fields.tags === undefined)
    throw new CoreError('InvalidField', 'nothing to change: give a file, a title, a description or tags');
  const first = mist.versions[0]!.value;
  const latest = mist.versions.at(-1)!.value;
  const detected = file && detectArtifactType(file.name, file.bytes);
  const { fork_of: _forkOf, origin: _origin, language: _language, title, description, tags: _tags, ...kept } = latest;
  const tags = fields.tags === undefined ? latest.tags : mistTags(fields.tags);
  const language = detected ? detected.language : latest.language;
  const newTitle = fields.title === undefined ? title : fields.title || undefined;
  const newDescription = fields.description === undefined ? description : fields.description || undefined;
  const newContent = content ?? latest.content;
  return {
    ...kept,
    ...(file && { name: file.name, size: file.bytes.length, artifact: detected!.type }),
    content: newContent,
    ts,
    // The first version's file names the mist for ever (its short id), whatever the file becomes.
    ...(newContent !== first.content && { origin: first.origin ?? first.content }),
    ...(newTitle !== undefined && { title: newTitle }),
    ...(newDescription !== undefined && { description: newDescription }),
    ...(tags !== undefined && { tags }),
    ...(language !== undefined && { language }),
  };
}

/**
 * A fork by `me` of `parent`'s latest version, naming it and its depth.
 * @throws CoreError Forbidden (a secret mist: its readers were chosen by its author); ProtocolError ForkTooDeep
 */
export function forkVersion(me: PseudonymId, parent: ForkParent, ts: number): MistObject {
  if (parent.view.secret) throw new CoreError('Forbidden', 'a secret mist cannot be forked', { field: 'mist' });
  const depth = (parent.view.forkOf?.depth ?? 0) + 1;
  if (depth > MIST_LIMITS.forkDepth)
    throw new ProtocolError(
      'ForkTooDeep',
      `mist ${parent.view.id} is a fork ${depth - 1} deep already; a fork may be at most ${MIST_LIMITS.forkDepth} deep`,
    );
  const { origin: _origin, fork_of: _forkOf, ...kept } = parent.versions.at(-1)!.value;
  return { ...kept, author: me, ts, fork_of: { author: parent.view.author, mist: parent.view.id, depth } };
}

/** `bytes` as the mist stores them: sealed under `contentKey` for a secret mist, else as they are. */
export function storedFile(bytes: Uint8Array, contentKey?: Uint8Array): Uint8Array {
  return contentKey ? sealUnderKey(contentKey, bytes, random) : bytes;
}

export interface PublishedMist {
  readonly id: MistId;
  /** The version's object (the sealed one's id, for a secret mist). */
  readonly object: ObjectId;
  readonly commit: SignedCommit;
}

/**
 * Publishes `version` as an own commit of its author, with `file` (the stored bytes, when the file is new). A
 * secret one is sealed under `contentKey`: the commit carries the sealed file, which no op names.
 */
export async function publishMist(
  deps: OwnCommitDeps,
  version: MistObject,
  file: Uint8Array | undefined,
  contentKey?: Uint8Array,
): Promise<PublishedMist> {
  let object: ObjectId | undefined;
  const commit = await commitOwn(deps, version.author, () => {
    const built = buildMist(version);
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
  return { id: mistIdOf(version.author, version.origin ?? version.content), object: object!, commit };
}

/** The commit that deletes `mist` (a tombstone by its id). */
export function publishUnmist(deps: OwnCommitDeps, author: PseudonymId, mist: MistId): Promise<SignedCommit> {
  return commitOwn(deps, author, () => ({ ops: [{ type: 'unmist', mist }], posts: [] }));
}
