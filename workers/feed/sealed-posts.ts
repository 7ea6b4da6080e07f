/**
 * Opening the sealed posts of a feed being read (PROTOCOL.md, Audiences):
 * with the DM keys of the pseudonyms on this device (its author's too, when
 * it is one of them). A post one of them opens is stored opened, for those
 * that opened it; one none opens is stored as its sealed blobs only, and no
 * one here sees it (unless a reader's keys are locked: then the feed waits
 * for the unlock). Opening is local: nothing is sent, so nothing links the
 * pseudonyms that tried.
 */
import { openEnvelope, openSealedObject } from '../../src/protocol/audience.ts';
import { ProtocolError } from '../../src/protocol/errors.ts';
import type { PseudonymId } from '../../src/protocol/ids.ts';
import type { SecretKey } from '../../src/protocol/keys.ts';
import { type BuiltObject, type PostObject, decodePost } from '../../src/protocol/objects.ts';
import type { PostOp } from '../../src/protocol/ops.ts';
import type { KeySource } from '../keys/key-source.ts';
import { CoreError, errorName } from '../errors.ts';

/**
 * A sealed post opened: the post object under the op's `object`, the local pseudonyms that opened it, and the
 * content key (its media and edit versions open with it).
 */
export interface OpenedPost {
  readonly post: BuiltObject<PostObject>;
  readonly readers: readonly PseudonymId[];
  readonly contentKey: Uint8Array;
}

/** Opens one sealed post op's blobs (hash-checked already), or finds no key here that opens it. */
export type SealedOpener = (op: PostOp, sealed: Uint8Array, envelope: Uint8Array | undefined) => OpenedPost | undefined;

/** A local pseudonym that may read a feed, with its key (for its DM key: it never leaves the worker). */
export interface LocalReader {
  readonly id: PseudonymId;
  readonly secretKey: SecretKey;
}

/**
 * Tries each reader's DM key on the post's key envelope. A link post has none: it opens only with its link
 * (openLinkedPost), so it is stored sealed.
 * @param locked local readers whose keys are locked now: a post none of the others opens then waits for them
 * @throws ProtocolError as decodePost, when a key opens the envelope but the post inside is no post object
 *   (the author sealed a malformed post: refused as a public one would be); CoreError Locked (see `locked`)
 */
export function envelopeOpener(readers: readonly LocalReader[], locked: readonly PseudonymId[] = []): SealedOpener {
  return (op, sealed, envelope) => {
    if (!envelope) return undefined;
    const opened = openWith(readers, op, sealed, envelope);
    // A held commit is never walked again: stored unopened now, it would stay unread after the unlock. The
    // feed's walk fails instead, by name, and the next refresh after the unlock takes it whole.
    if (!opened && locked.length > 0)
      throw new CoreError('Locked', 'unlock your keys to read this feed: it has a post for named people', {
        locked,
      });
    return opened;
  };
}

function openWith(
  readers: readonly LocalReader[],
  op: PostOp,
  sealed: Uint8Array,
  envelope: Uint8Array,
): OpenedPost | undefined {
  const opened: PseudonymId[] = [];
  let plaintext: Uint8Array | undefined;
  let contentKey: Uint8Array | undefined;
  for (const reader of readers) {
    try {
      const key = openEnvelope(envelope, reader.secretKey);
      plaintext ??= openSealedObject(key, sealed);
      contentKey ??= key;
      opened.push(reader.id);
    } catch (error) {
      // Not sealed to this reader (or a changed envelope, which no reader can tell apart): try the next.
      if (!(error instanceof ProtocolError)) throw error;
    }
  }
  if (!plaintext || !contentKey) return undefined;
  const { value } = decodePost(plaintext);
  return { post: { id: op.object, bytes: plaintext, value }, readers: opened, contentKey };
}

/**
 * Every local pseudonym whose own key this device holds, with it (the author's own among them: its other devices'
 * posts carry a slot for its DM key); and those whose keys are locked now. Not only the feed's local followers:
 * a held commit is never walked again, so a pseudonym that follows the feed later, or that only a message made
 * this device read it for, must have tried its key already. The rows still show the post only to readers that
 * see the feed (timeline-rows.ts), and nothing is sent, so trying links no pseudonym to another.
 */
export async function localReaders(
  keys: Pick<KeySource, 'listPseudonyms' | 'getSecretKey' | 'findAgent'>,
  author: PseudonymId,
): Promise<{ readers: LocalReader[]; locked: PseudonymId[] }> {
  const local = await keys.listPseudonyms();
  const ids = [...new Set(local.includes(author) ? [author, ...local] : local)];
  const readers: LocalReader[] = [];
  const locked: PseudonymId[] = [];
  for (const id of ids) {
    // A device acting for a pseudonym as its agent holds the agent's key, not the pseudonym's: no DM key to try
    // (and asking for it would run the agent's revocation check before the owner's feed is read).
    if (await keys.findAgent?.(id)) continue;
    try {
      readers.push({ id, secretKey: await keys.getSecretKey(id) });
    } catch (error) {
      if (errorName(error) !== 'Locked') throw error;
      locked.push(id);
    }
  }
  return { readers, locked };
}
