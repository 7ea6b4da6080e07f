/**
 * Direct messages of one local pseudonym: publishing its DM key, sealing a
 * message (kept here at once, queued for the peer's hub like a post), opening
 * one that arrived, and the conversation list and thread. The DM secret is
 * derived from the pseudonym key inside these functions and never leaves.
 */
import { dmPublicKeyOf, openDm, sealDm } from '../../src/protocol/dm.ts';
import { type ObjectId, type PseudonymId, hashBytes } from '../../src/protocol/ids.ts';
import type { Verify } from '../../src/protocol/keys.ts';
import type { ConversationSummary, MessageItem } from '../api/api-types.ts';
import { findDmKeyOf, findHubsOf, putContact } from './contacts.ts';
import type { CoreDb, DmRow } from '../store/db.ts';
import { deliveryId } from './deliveries.ts';
import { CoreError } from '../errors.ts';
import type { HubClient } from '../net/hub-client.ts';
import { type Random, getPseudonym, getSecretKey } from '../keys/keyring.ts';
import { type LocalDeps, commitLocal } from '../feed/local-commits.ts';
import type { SentMessage } from '../private/sent.ts';

export interface DmDeps extends LocalDeps {
  readonly random: Random;
  readonly verify: Verify;
}

/**
 * Publishes the pseudonym's DM key in its profile unless its
 * feed already says so. @returns true when a commit was made.
 */
export async function ensureDmKey(deps: LocalDeps, owner: PseudonymId): Promise<boolean> {
  const key = dmPublicKeyOf(await getSecretKey(deps.db, owner));
  if ((await deps.db.get('profiles', [owner, 'dm_key']))?.value === key) return false;
  await commitLocal(deps, owner, () => ({ ops: [{ type: 'profile', dm_key: key }], posts: [] }));
  return true;
}

/**
 * Seals `body` to `peer` and stores it with its delivery in one transaction.
 * @throws CoreError NoDmKey, NoHub, Locked; ProtocolError InvalidField (empty or long body)
 */
export async function sendDm(deps: DmDeps, owner: PseudonymId, peer: PseudonymId, body: string): Promise<DmRow> {
  const { db } = deps;
  const toKey = await findDmKeyOf(db, owner, peer);
  if (!toKey)
    throw new CoreError(
      'NoDmKey',
      'this person has not published a key for messages yet (they need to open Messages once)',
    );
  const hubs = await findHubsOf(db, owner, peer);
  if (hubs.length === 0)
    throw new CoreError(
      'NoHub',
      'no hub is known where this person reads messages; open the conversation by their handle',
    );
  const self = await getPseudonym(db, owner);
  const secretKey = await getSecretKey(db, owner);
  const ts = deps.now();
  const sealed = sealDm(
    secretKey,
    { to: peer, toKey, body, ts, hubs: self.hubs },
    {
      ephemeral: deps.random(new Uint8Array(32)),
      nonce: deps.random(new Uint8Array(24)),
    },
  );
  const row: DmRow = { owner, id: sealed.id, peer, direction: 'out', body, ts, state: 'queued' };
  const tx = db.transaction(['dms', 'deliveries'], 'readwrite');
  await Promise.all([
    tx.objectStore('dms').put(row),
    tx.objectStore('deliveries').put({
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
    }),
    tx.done,
  ]);
  return row;
}

/**
 * Fetches, opens and stores a DM a notice names. Kept once per blob id.
 * @throws ProtocolError HashMismatch, Undecryptable, BadSignature, Resealed, WrongRecipient, WrongSender, ...;
 *         CoreError Offline, NotFound
 * @returns true when it was new.
 */
export async function receiveDm(
  deps: DmDeps,
  hub: HubClient,
  owner: PseudonymId,
  from: PseudonymId,
  id: ObjectId,
): Promise<boolean> {
  const { db } = deps;
  if (await db.getKey('dms', [owner, id])) return false;
  const bytes = await hub.getBlob(id);
  if (hashBytes(bytes) !== id) throw new CoreError('HashMismatch', `the hub answered other bytes for ${id}`);
  const message = await openDm(bytes, await getSecretKey(db, owner), deps.verify, { from });
  await putContact(db, { owner, peer: from, key: message.from_key, hubs: message.hubs });
  const tx = db.transaction('dms', 'readwrite');
  const held = await tx.store.getKey([owner, id]);
  if (!held)
    await tx.store.add({
      owner,
      id,
      peer: from,
      direction: 'in',
      body: message.body,
      ts: message.ts,
      state: 'received',
      unread: true,
    });
  await tx.done;
  return !held;
}

/**
 * Stores the messages another device of `owner` sent (from the private
 * document: private/sent.ts) that this one does not hold. They show as sent:
 * delivering them is the sending device's work. @returns how many were new.
 */
export async function adoptSent(db: CoreDb, owner: PseudonymId, sent: readonly SentMessage[]): Promise<number> {
  if (sent.length === 0) return 0;
  const tx = db.transaction('dms', 'readwrite');
  const held = await Promise.all(sent.map((m) => tx.store.getKey([owner, m.id])));
  const fresh = sent.filter((_, i) => held[i] === undefined);
  await Promise.all([
    ...fresh.map((m) =>
      tx.store.add({ owner, id: m.id, peer: m.peer, direction: 'out', body: m.body, ts: m.ts, state: 'sent' }),
    ),
    tx.done,
  ]);
  return fresh.length;
}

function itemOf(row: DmRow): MessageItem {
  return {
    id: row.id,
    peer: row.peer,
    direction: row.direction,
    body: row.body,
    ts: row.ts,
    state: row.state,
    ...(row.error !== undefined && { error: row.error }),
  };
}

export async function listDmThread(db: CoreDb, owner: PseudonymId, peer: PseudonymId): Promise<MessageItem[]> {
  const rows = await db.getAllFromIndex(
    'dms',
    'byPeer',
    IDBKeyRange.bound([owner, peer, -Infinity], [owner, peer, Infinity]),
  );
  return rows.map(itemOf);
}

/** One entry per peer, the most recent conversation first. */
export async function listConversations(db: CoreDb, owner: PseudonymId): Promise<ConversationSummary[]> {
  const tx = db.transaction(['dms', 'profiles', 'contacts']);
  const rows = await tx.objectStore('dms').getAll(IDBKeyRange.bound([owner], [owner, []]));
  const byPeer = new Map<PseudonymId, { last: DmRow; unread: number }>();
  for (const row of rows) {
    const entry = byPeer.get(row.peer) ?? { last: row, unread: 0 };
    if (row.ts >= entry.last.ts) entry.last = row;
    if (row.unread) entry.unread++;
    byPeer.set(row.peer, entry);
  }
  const peers = [...byPeer.keys()];
  const [names, contacts] = await Promise.all([
    Promise.all(peers.map((p) => tx.objectStore('profiles').get([p, 'name']))),
    Promise.all(peers.map((p) => tx.objectStore('contacts').get([owner, p]))),
  ]);
  await tx.done;
  return peers
    .map((peer, i) => {
      const { last, unread } = byPeer.get(peer)!;
      const name = names[i]?.value;
      const handle = contacts[i]?.handle;
      return {
        peer,
        last: itemOf(last),
        unread,
        ...(typeof name === 'string' && { peerName: name }),
        ...(handle && { peerHandle: handle }),
      };
    })
    .sort((a, b) => b.last.ts - a.last.ts);
}

export async function markConversationRead(db: CoreDb, owner: PseudonymId, peer: PseudonymId): Promise<boolean> {
  const tx = db.transaction('dms', 'readwrite');
  const rows = await tx.store
    .index('byPeer')
    .getAll(IDBKeyRange.bound([owner, peer, -Infinity], [owner, peer, Infinity]));
  const unread = rows.filter((r) => r.unread);
  await Promise.all(unread.map(({ unread: _, ...rest }) => tx.store.put(rest)));
  await tx.done;
  return unread.length > 0;
}
