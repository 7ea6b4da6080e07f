/**
 * Direct messages of one local pseudonym: publishing its DM key, sealing a
 * message (kept here at once, queued for the peer's hub like a post), opening
 * one that arrived, and the conversation list and thread. The DM secret is
 * derived from the pseudonym key inside these functions and never leaves.
 * Storage and keys are parameters (the core store, a key source): the worker
 * passes its IndexedDB pieces, the command line its own.
 */
import { dmPublicKeyOf, openDm, sealDm } from '../../src/protocol/dm.ts';
import { type ObjectId, type PseudonymId, hashBytes } from '../../src/protocol/ids.ts';
import type { Verify } from '../../src/protocol/keys.ts';
import { findDmKeyOf, findHubsOf } from './contacts.ts';
import type { CoreStore } from '../store/core-store.ts';
import type { DmRow } from '../store/inbox-rows.ts';
import { deliveryId } from './deliveries.ts';
import { CoreError } from '../errors.ts';
import type { HubClient } from '../net/hub-client.ts';
import type { Random } from '../keys/keyring.ts';
import { type OwnCommitDeps, commitOwn } from '../feed/local-commits.ts';
import type { SentMessage } from '../private/sent.ts';

// The reading half, apart so counting what is unread needs no DM crypto.
export { listConversations, listDmThread, markConversationRead } from './conversations.ts';

export interface DmDeps extends OwnCommitDeps {
  readonly store: CoreStore;
  readonly random: Random;
  readonly verify: Verify;
}

/**
 * Publishes the pseudonym's DM key in its profile unless its
 * feed already says so. @returns true when a commit was made.
 */
export async function ensureDmKey(deps: OwnCommitDeps, owner: PseudonymId): Promise<boolean> {
  const key = dmPublicKeyOf(await deps.keys.getSecretKey(owner));
  if ((await deps.store.findProfileField(owner, 'dm_key')) === key) return false;
  await commitOwn(deps, owner, () => ({ ops: [{ type: 'profile', dm_key: key }], posts: [] }));
  return true;
}

/**
 * Seals `body` to `peer` and stores it with its delivery in one step.
 * @throws CoreError NoDmKey, NoHub, Locked; ProtocolError InvalidField (empty or long body)
 */
export async function sendDm(deps: DmDeps, owner: PseudonymId, peer: PseudonymId, body: string): Promise<DmRow> {
  const { store, keys } = deps;
  const toKey = await findDmKeyOf(store, owner, peer);
  if (!toKey)
    throw new CoreError(
      'NoDmKey',
      'this person has not published a key for messages yet (they need to open Messages once)',
    );
  const hubs = await findHubsOf(deps, owner, peer);
  if (hubs.length === 0)
    throw new CoreError(
      'NoHub',
      'no hub is known where this person reads messages; open the conversation by their handle',
    );
  const secretKey = await keys.getSecretKey(owner);
  const ts = deps.now();
  const sealed = sealDm(
    secretKey,
    { to: peer, toKey, body, ts, hubs: await keys.getHubs(owner) },
    {
      ephemeral: deps.random(new Uint8Array(32)),
      nonce: deps.random(new Uint8Array(24)),
    },
  );
  const row: DmRow = { owner, id: sealed.id, peer, direction: 'out', body, ts, state: 'queued' };
  await store.queueDeliveries(
    [
      {
        owner,
        id: deliveryId('dm', peer, [sealed.id]),
        kind: 'dm',
        to: peer,
        hubs,
        ids: [sealed.id],
        blobs: [],
        sealed: sealed.bytes,
        queuedAt: ts,
        attempts: 0,
      },
    ],
    row,
  );
  return row;
}

/**
 * Fetches, opens and stores a DM a notice names. Kept once per blob id.
 * @throws ProtocolError HashMismatch, Undecryptable, BadSignature, Resealed, WrongRecipient, WrongSender, ...;
 *         CoreError Offline, NotFound
 * @returns true when it was new.
 */
export async function receiveDm(
  deps: Pick<DmDeps, 'store' | 'keys' | 'verify'>,
  hub: HubClient,
  owner: PseudonymId,
  from: PseudonymId,
  id: ObjectId,
): Promise<boolean> {
  const { store } = deps;
  if (await store.findDm(owner, id)) return false;
  const bytes = await hub.getBlob(id);
  if (hashBytes(bytes) !== id) throw new CoreError('HashMismatch', `the hub answered other bytes for ${id}`);
  const message = await openDm(bytes, await deps.keys.getSecretKey(owner), deps.verify, { from });
  await store.putContact({ owner, peer: from, key: message.from_key, hubs: message.hubs });
  const row: DmRow = {
    owner,
    id,
    peer: from,
    direction: 'in',
    body: message.body,
    ts: message.ts,
    state: 'received',
    unread: true,
  };
  return (await store.addDms([row])) > 0;
}

/**
 * Stores the messages another device of `owner` sent (from the private
 * document: private/sent.ts) that this one does not hold. They show as sent:
 * delivering them is the sending device's work. @returns how many were new.
 */
export function adoptSent(store: CoreStore, owner: PseudonymId, sent: readonly SentMessage[]): Promise<number> {
  return store.addDms(
    sent.map((m) => ({ owner, id: m.id, peer: m.peer, direction: 'out', body: m.body, ts: m.ts, state: 'sent' })),
  );
}
