/**
 * Syncing a pseudonym's private document between its own devices through
 * its home hub, with nothing a hub or an onlooker can tie to the pseudonym:
 *
 * - the pointer is an ordinary signed head, but of the pointer key derived
 *   from the pseudonym's secret (private-seal.ts), so its author is an
 *   unrelated-looking key; its one tip names the index blob;
 * - the index blob is a sealed list of update blob ids; each update blob is
 *   a sealed Yjs update; blob uploads are signed with the pointer key too.
 *
 * One pass: read the pointer, fetch the listed updates not seen yet (one
 * batch), apply them; then, when there are local changes the hub lacks,
 * upload the difference against the hub's state (or everything, compacting
 * the list once it is long), a new index, and the next head. A lost race
 * (StaleHead) repeats the pass, so concurrent devices converge by merging:
 * Yjs updates commute, and each pass only ever adds to the listed state.
 */
import * as Y from 'yjs';
import { encodeCanonical } from '../../src/protocol/canonical.ts';
import { ProtocolError } from '../../src/protocol/errors.ts';
import { type HeadJson, buildHead, decodeHead, verifyHead } from '../../src/protocol/heads.ts';
import { type CommitId, type ObjectId, type PseudonymId, hashBytes } from '../../src/protocol/ids.ts';
import { type Verify, pseudonymOf } from '../../src/protocol/keys.ts';
import {
  MAX_INDEX_UPDATES,
  type PrivateKeys,
  SEAL_NONCE_BYTES,
  decodePrivateIndex,
  derivePrivateKeys,
  encodePrivateIndex,
  openPrivate,
  sealPrivate,
} from '../../src/protocol/private-seal.ts';
import { type RequestToSign, signRequest } from '../../src/protocol/request-auth.ts';
import { errorName } from '../errors.ts';
import type { HubClient } from '../net/hub-client.ts';
import type { Random } from '../keys/keyring.ts';
import type { KeySource } from '../keys/key-source.ts';

/** Past this many listed updates a push uploads the whole state instead and lists only that. */
export const COMPACT_AFTER = MAX_INDEX_UPDATES / 2;
const MAX_ATTEMPTS = 4;

/**
 * Where a device keeps its private documents: the worker's IndexedDB rows (docs.ts PrivateDocs), or the command
 * line's files (src/cli/home/private-docs.ts). `local > pushed` in syncRow means the hub lacks local changes.
 */
export interface PrivateDocStore {
  doc(pseudonym: PseudonymId): Promise<Y.Doc>;
  /** Merges another device's update, stored at once. @returns whether the document changed */
  applyRemote(pseudonym: PseudonymId, update: Uint8Array): Promise<boolean>;
  syncRow(pseudonym: PseudonymId): Promise<{ readonly local: number; readonly pushed: number }>;
  /** Reads again what another writer (a tab, a process) stored. */
  reload(pseudonym: PseudonymId): Promise<void>;
  /** A push covered local changes up to `local`. */
  markPushed(pseudonym: PseudonymId, local: number): Promise<void>;
}

export interface PrivateSyncDeps {
  /** The pseudonym's own key (never an agent's: an agent holds none of its owner's private state) and hubs. */
  readonly keys: Pick<KeySource, 'getSecretKey' | 'getHubs'>;
  readonly docs: PrivateDocStore;
  readonly hub: (origin: string, as?: PseudonymId) => HubClient;
  readonly now: () => number;
  readonly random: Random;
  readonly verify: Verify;
}

export type PassResult = 'synced' | 'locked';

/**
 * One pass for `pseudonym`.
 * @returns whether the document changed from another device's updates.
 * @throws CoreError Offline, HubUnavailable; ProtocolError HashMismatch, BadCiphertext, BadSignature, ... when the
 *         hub's data fails checks
 */
export async function syncPrivateOnce(
  deps: PrivateSyncDeps,
  pseudonym: PseudonymId,
  seen: Map<ObjectId, Uint8Array>,
): Promise<{ result: PassResult; changed: boolean }> {
  const [home] = await deps.keys.getHubs(pseudonym);
  let keys: PrivateKeys;
  try {
    keys = derivePrivateKeys(await deps.keys.getSecretKey(pseudonym));
  } catch (error) {
    if (errorName(error) === 'Locked') return { result: 'locked', changed: false };
    throw error;
  }
  const pointer = pseudonymOf(keys.pointerKey);
  // The pointer's requests name only the pointer: sent at an alias of its own (net/hub-aliases.ts), they do not
  // share a connection with its pseudonym's either.
  const hub = deps.hub(home!, pointer);
  let changed = false;
  for (let attempt = 1; ; attempt++) {
    const remote = await readRemote(deps, hub, keys, pointer, seen);
    if (remote.update) changed = (await deps.docs.applyRemote(pseudonym, remote.update)) || changed;
    const sync = await deps.docs.syncRow(pseudonym);
    if (sync.local <= sync.pushed) return { result: 'synced', changed };

    // Another tab's changes are counted in `local` once stored: read them in, or marking them pushed would lose them.
    await deps.docs.reload(pseudonym);
    const doc = await deps.docs.doc(pseudonym);
    const compact = remote.ids.length >= COMPACT_AFTER || !remote.update;
    const update = compact
      ? Y.encodeStateAsUpdate(doc)
      : Y.encodeStateAsUpdate(doc, Y.encodeStateVectorFromUpdate(remote.update!));
    const sign = (request: RequestToSign) => signRequest(keys.pointerKey, request);
    const updateId = await putSealed(deps, hub, keys, update, sign);
    const ids = compact ? [updateId] : [...new Set([...remote.ids, updateId])];
    const indexId = await putSealed(deps, hub, keys, encodePrivateIndex(ids), sign);
    const head = buildHead(keys.pointerKey, {
      heads: [indexId as string as CommitId],
      seq: remote.seq + 1,
      ts: deps.now(),
    });
    try {
      await hub.putHead(pointer, head.bytes);
    } catch (error) {
      // Another device moved the pointer first: read its state, merge, try again.
      if (errorName(error) === 'StaleHead' && attempt < MAX_ATTEMPTS) continue;
      throw error;
    }
    seen.set(updateId, update);
    await deps.docs.markPushed(pseudonym, sync.local);
    return { result: 'synced', changed };
  }
}

interface Remote {
  readonly seq: number;
  readonly ids: readonly ObjectId[];
  /** Every listed update merged into one (undefined when the hub holds no pointer). */
  readonly update?: Uint8Array;
}

async function readRemote(
  deps: PrivateSyncDeps,
  hub: HubClient,
  keys: PrivateKeys,
  pointer: PseudonymId,
  seen: Map<ObjectId, Uint8Array>,
): Promise<Remote> {
  const json = (await hub.getHeads([pointer]))[pointer];
  if (!json) return { seq: 0, ids: [] };
  const head = await verifiedPointer(json, pointer, deps.verify);
  const ids = decodePrivateIndex(openPrivate(keys.aeadKey, checked(head.heads[0]!, await hub.getBlob(head.heads[0]!))));
  const wanted = ids.filter((id) => !seen.has(id));
  if (wanted.length > 0) {
    const got = new Map((await hub.batchBlobs(wanted)).map((e) => [e.id, e.bytes]));
    for (const id of wanted) {
      const bytes = got.get(id);
      if (!bytes) throw new ProtocolError('NotFound', `the hub lists private update ${id} but does not hold it`);
      seen.set(id, openPrivate(keys.aeadKey, checked(id, bytes)));
    }
  }
  return { seq: head.seq, ids, update: Y.mergeUpdates(ids.map((id) => seen.get(id)!)) };
}

async function verifiedPointer(json: HeadJson, pointer: PseudonymId, verify: Verify) {
  const signed = decodeHead(encodeCanonical(json));
  if (signed.head.author !== pointer) throw new ProtocolError('WrongAuthor', 'the hub answered another pointer');
  if (!(await verifyHead(signed, verify)))
    throw new ProtocolError('BadSignature', 'the private-state pointer is not signed by its key');
  return signed.head;
}

function checked(id: ObjectId, bytes: Uint8Array): Uint8Array {
  if (hashBytes(bytes) !== id) throw new ProtocolError('HashMismatch', `blob ${id} does not hash to its id`);
  return bytes;
}

async function putSealed(
  deps: PrivateSyncDeps,
  hub: HubClient,
  keys: PrivateKeys,
  plaintext: Uint8Array,
  sign: (r: RequestToSign) => Record<string, string>,
): Promise<ObjectId> {
  const sealed = sealPrivate(keys.aeadKey, deps.random(new Uint8Array(SEAL_NONCE_BYTES)), plaintext);
  const id = hashBytes(sealed);
  await hub.putBlob(id, sealed, sign, deps.now());
  return id;
}
