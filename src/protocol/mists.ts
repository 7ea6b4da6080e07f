/**
 * Mists (issue 20; the Mist reference): a file shared as a permanent,
 * verifiable artifact. A mist object is a content object like a post
 * (objects.ts): canonical bytes named by their sha256, published by a `mist`
 * op in its author's signed feed. It names the file's bytes by their blob id
 * and size, so listing a feed's mists never fetches a 10 MiB file, and a
 * reader checks the bytes against both before showing one.
 *
 * A mist's short id is stable for its life: 16 hex characters of the sha256
 * of its author and the blob id of its first version's file (its `origin`).
 * The same file shared twice by one author is the same mist, so sharing it
 * again finds the one already there. A later version (an update, every one
 * kept) carries `origin` when its file differs from the first; a fork is a
 * new mist by its own author whose first version names its parent and its
 * depth, and the protocol refuses a depth past MIST_LIMITS.forkDepth.
 *
 * The artifact type and language are what the author's device detected
 * (mist-types.ts) and declared; a reader treats them as labels, and shows
 * any file as inert text whatever they say.
 */
import { type Canonical, decodeCanonical, encodeCanonical } from './canonical.ts';
import { openSealedObject } from './audience.ts';
import { isLowerHex } from './bytes.ts';
import { ProtocolError } from './errors.ts';
import {
  CONTROL,
  CONTROL_IN_TEXT,
  invalid,
  readInt,
  readObjectId,
  readPseudonymId,
  readString,
  readText,
  requireKeys,
} from './fields.ts';
import { type ObjectId, type PseudonymId, hashBytes } from './ids.ts';
import { ARTIFACT_TYPES, type ArtifactType } from './mist-types.ts';
import type { BuiltObject } from './objects.ts';
import { readTopics } from './topics.ts';
import { sha256Hex } from '../runtime/sha256.ts';

/** A mist's short stable id: 16 lowercase hex characters. */
export type MistId = string & { readonly __mist: true };

export const MIST_LIMITS = {
  /** Code points of a file name. */
  nameChars: 255,
  titleChars: 500,
  descriptionChars: 10_000,
  /** Tags follow the topic rule (topics.ts): at most 10, lowercase, 64 code points each, sorted and distinct. */
  tags: 10,
  /** Bytes of the file. A secret mist's file is sealed, and the seal's bytes count too (audience.ts). */
  contentBytes: 10 * 1024 * 1024,
  /** A fork of a fork of ... : the first version of a mist at this depth may exist; one deeper may not. */
  forkDepth: 5,
  languageChars: 32,
} as const;

/** The mist a fork was made from, and how many forks deep the fork is (its parent's depth + 1). */
export interface ForkOf {
  readonly author: PseudonymId;
  readonly mist: MistId;
  readonly depth: number;
}

export interface MistObject {
  readonly type: 'mist';
  readonly author: PseudonymId;
  /** The file's name: no path, no control or bidi characters (checkFileName). */
  readonly name: string;
  /** The blob of the file's bytes. */
  readonly content: ObjectId;
  readonly size: number;
  /** Milliseconds since the Unix epoch, as the author's clock saw it. */
  readonly ts: number;
  /** The first version's file, on a later version whose file differs from it (the id derives from it). */
  readonly origin?: ObjectId;
  readonly title?: string;
  readonly description?: string;
  readonly tags?: readonly string[];
  readonly artifact: ArtifactType;
  /** For code, the language its name says. */
  readonly language?: string;
  /** Only on a fork. */
  readonly fork_of?: ForkOf;
}

const MIST_KEYS = [
  'type',
  'author',
  'name',
  'content',
  'size',
  'ts',
  'origin',
  'title',
  'description',
  'tags',
  'artifact',
  'language',
  'fork_of',
] as const;
const FORK_KEYS = ['author', 'mist', 'depth'] as const;

const LANGUAGE = /^[a-z0-9][a-z0-9+#-]*$/;

export function isMistId(value: unknown): value is MistId {
  return isLowerHex(value, 8);
}

/** @throws ProtocolError MalformedId */
export function parseMistId(value: unknown): MistId {
  if (!isMistId(value)) throw new ProtocolError('MalformedId', 'a mist id is 16 lowercase hex characters');
  return value;
}

/** The short id of `author`'s mist whose first version's file is the blob `origin`. */
export function mistIdOf(author: PseudonymId, origin: ObjectId): MistId {
  return sha256Hex(encodeCanonical({ author, origin, type: 'mist-id' })).slice(0, 16) as MistId;
}

/** The short id of the mist a version belongs to. */
export function mistIdOfVersion(mist: MistObject): MistId {
  return mistIdOf(mist.author, mist.origin ?? mist.content);
}

/**
 * A file name a mist may carry: the name alone, never a path (no `/` or `\`, no `..`), without NUL, control,
 * ANSI escape or bidi characters, not blank, and at most MIST_LIMITS.nameChars code points.
 * @throws ProtocolError InvalidField, TooLarge
 */
export function checkFileName(name: string, field = 'name'): string {
  if ([...name].length > MIST_LIMITS.nameChars)
    throw new ProtocolError('TooLarge', `${field}: more than ${MIST_LIMITS.nameChars} characters`, { field });
  if (name.trim() === '') throw invalid(field, 'expected a file name');
  if (/[/\\]/.test(name)) throw invalid(field, 'a file name, not a path: no / or \\');
  if (name.includes('..')) throw invalid(field, 'no ..');
  if (CONTROL.test(name)) throw invalid(field, 'no control, escape or direction characters');
  return name;
}

function readForkOf(raw: Canonical | undefined): ForkOf | undefined {
  if (raw === undefined) return undefined;
  if (typeof raw !== 'object' || Array.isArray(raw)) throw invalid('fork_of', 'expected an object');
  requireKeys(raw, FORK_KEYS, 'fork_of');
  const depth = readInt(raw, 'depth', 1);
  if (depth > MIST_LIMITS.forkDepth)
    throw new ProtocolError(
      'ForkTooDeep',
      `fork_of.depth: ${depth}; a fork may be at most ${MIST_LIMITS.forkDepth} deep`,
      {
        field: 'fork_of',
      },
    );
  if (!isMistId(raw.mist))
    throw new ProtocolError('MalformedId', 'fork_of.mist: expected 16 lowercase hex characters', { field: 'fork_of' });
  return { author: readPseudonymId(raw, 'author'), mist: raw.mist, depth };
}

/** @throws ProtocolError (as decodeMist) when the mist is not valid. */
export function buildMist(mist: Omit<MistObject, 'type'>): BuiltObject<MistObject> {
  return decodeMist(encodeCanonical({ type: 'mist', ...mist } as unknown as Canonical));
}

/**
 * @param expectedId when given, the bytes must hash to it.
 * @throws ProtocolError HashMismatch, DecodeError, NonCanonical, InvalidField, TooLarge, MalformedId, ForkTooDeep
 */
export function decodeMist(bytes: Uint8Array, expectedId?: ObjectId): BuiltObject<MistObject> {
  const id = hashBytes(bytes);
  if (expectedId !== undefined && id !== expectedId)
    throw new ProtocolError('HashMismatch', `bytes hash to ${id}, not ${expectedId}`);
  const raw = decodeCanonical(bytes);
  if (typeof raw !== 'object' || Array.isArray(raw) || raw.type !== 'mist')
    throw new ProtocolError('DecodeError', 'expected a mist object');
  requireKeys(raw, MIST_KEYS, 'mist');
  const author = readPseudonymId(raw, 'author');
  const name = checkFileName(readString(raw, 'name', Number.MAX_SAFE_INTEGER)!);
  const content = readObjectId(raw, 'content')!;
  const size = readInt(raw, 'size', 1);
  if (size > MIST_LIMITS.contentBytes)
    throw new ProtocolError('TooLarge', `size: ${size} bytes; a mist's file may be ${MIST_LIMITS.contentBytes}`, {
      field: 'size',
    });
  const origin = readObjectId(raw, 'origin', true);
  if (origin === content) throw invalid('origin', 'left out when the file is the first version’s');
  const artifact = raw.artifact;
  if (!ARTIFACT_TYPES.includes(artifact as ArtifactType))
    throw invalid('artifact', `expected one of ${ARTIFACT_TYPES.join(', ')}`);
  const language = readString(raw, 'language', MIST_LIMITS.languageChars, true);
  if (language !== undefined && (artifact !== 'code' || !LANGUAGE.test(language)))
    throw invalid('language', 'only code names a language, in lowercase like python');
  const forkOf = readForkOf(raw.fork_of);
  if (forkOf && origin) throw invalid('fork_of', 'only a mist’s first version names what it was forked from');
  const title = readText(raw, 'title', MIST_LIMITS.titleChars, CONTROL, true);
  const description = readText(raw, 'description', MIST_LIMITS.descriptionChars, CONTROL_IN_TEXT, true);
  const tags = readTopics(raw, 'tags');
  const mist: MistObject = {
    type: 'mist',
    author,
    name,
    content,
    size,
    ts: readInt(raw, 'ts', 0),
    ...(origin !== undefined && { origin }),
    ...(title !== undefined && { title }),
    ...(description !== undefined && { description }),
    ...(tags !== undefined && { tags }),
    artifact: artifact as ArtifactType,
    ...(language !== undefined && { language }),
    ...(forkOf !== undefined && { fork_of: forkOf }),
  };
  return { id, bytes, value: mist };
}

/**
 * Checks a mist's file against the version that names it: the blob id, then (opened under the mist's content key
 * when it is secret) the size. A reader runs it on the bytes it fetched before it shows or stores them.
 * @returns the file.
 * @throws ProtocolError HashMismatch; for a secret mist DecodeError, Undecryptable (audience.ts)
 */
export function checkMistFile(mist: MistObject, bytes: Uint8Array, contentKey?: Uint8Array): Uint8Array {
  const id = hashBytes(bytes);
  if (id !== mist.content) throw new ProtocolError('HashMismatch', `the file hashes to ${id}, not ${mist.content}`);
  const file = contentKey ? openSealedObject(contentKey, bytes) : bytes;
  if (file.length !== mist.size)
    throw new ProtocolError('HashMismatch', `the file is ${file.length} bytes; its mist says ${mist.size}`);
  return file;
}

/**
 * A secret mist's version, opened under its content key (the link's): a mist object by `author`.
 * @throws ProtocolError DecodeError, Undecryptable (not this key's), WrongAuthor, and as decodeMist
 */
export function openSecretMist(sealed: Uint8Array, contentKey: Uint8Array, author: PseudonymId): MistObject {
  const { value } = decodeMist(openSealedObject(contentKey, sealed));
  if (value.author !== author)
    throw new ProtocolError('WrongAuthor', `a secret mist by ${value.author} in the feed of ${author}`);
  return value;
}
