/**
 * Deliveries: notices (and sealed DMs) to other people's inboxes, queued
 * like posts. A local action queues its rows at once; `deliverQueued` puts
 * the blobs the notice names to the recipient's hub (only those it lacks),
 * then the signed notice, and deletes the row once the hub acknowledged it.
 * The signed notice is stored before it is sent and re-sent as the same
 * bytes while fresh, and the hub keeps a notice once, so a retry after a
 * crash never makes a second notice; a recipient also keeps each event once.
 */
import type { SignedCommit } from '../../src/protocol/commits.ts';
import { formatHandle, parseHandle } from '../../src/protocol/handle-names.ts';
import type { ObjectId, PseudonymId } from '../../src/protocol/ids.ts';
import { mentionsIn } from '../../src/protocol/mentions.ts';
import { type NoticeKind, buildNotice } from '../../src/protocol/notices.ts';
import type { BuiltObject, PostObject } from '../../src/protocol/objects.ts';
import { REQUEST_SKEW_MS, signRequest } from '../../src/protocol/request-auth.ts';
import { findBlobs } from '../store/commit-store.ts';
import { findHubsOf, putContact } from './contacts.ts';
import type { CoreDb, DeliveryRow } from '../store/db.ts';
import { postAuthorOf } from '../store/post-rows.ts';
import { CoreError, errorName } from '../errors.ts';
import type { HandleDeps } from '../feed/handles.ts';
import { resolveHandle } from '../feed/handles.ts';
import { getPseudonym, getSecretKey } from '../keys/keyring.ts';

export interface DeliveryDeps extends Pick<HandleDeps, 'hub' | 'verify'> {
  readonly db: CoreDb;
  readonly now: () => number;
}

/**
 * Failures that a later attempt may not meet: the row stays queued. Replayed:
 * a hub that just restarted refuses what was signed before its start (each
 * pass signs afresh); HubBusy: its memory of signed requests is full for now.
 */
const TRANSIENT = new Set([
  'Offline',
  'HubUnavailable',
  'RateLimited',
  'ClockSkew',
  'Replayed',
  'HubBusy',
  'TooManyConnections',
  'Locked',
  'QuotaExceeded',
  'AddressQuotaExceeded',
  'HubFull',
  'StorageError',
  'Aborted',
]);

export function deliveryId(kind: NoticeKind, to: string, ids: readonly ObjectId[]): string {
  return `${kind}:${to}:${ids.join(',')}`;
}

/**
 * The notices one own commit calls for: the authors of the posts it replies
 * to, quotes, reacts to or reposts, and the handles its post mentions.
 * Never the owner itself.
 */
export async function noticesFor(
  db: CoreDb,
  owner: PseudonymId,
  commit: SignedCommit,
  post: BuiltObject<PostObject> | undefined,
  now: number,
): Promise<DeliveryRow[]> {
  const rows: DeliveryRow[] = [];
  const self = await getPseudonym(db, owner);
  const add = async (kind: NoticeKind, target: ObjectId, ids: ObjectId[]) => {
    const author = await postAuthorOf(db, target);
    if (!author || author === owner) return;
    rows.push({
      owner,
      id: deliveryId(kind, author, ids),
      kind,
      to: author,
      hubs: await findHubsOf(db, owner, author),
      ids,
      blobs: ids,
      queuedAt: now,
      attempts: 0,
    });
  };
  for (const op of commit.commit.ops) {
    if (op.type === 'react') await add('react', op.target, [commit.id]);
    else if (op.type === 'repost') await add('repost', op.object, [commit.id]);
    else if (op.type === 'post' && post && op.object === post.id) {
      const ids = [commit.id, post.id];
      if (post.value.reply_to) await add('reply', post.value.reply_to, ids);
      if (post.value.quote_of) await add('quote', post.value.quote_of, ids);
      const blobs = [...ids, ...(post.value.media ?? [])];
      for (const handle of mentionsIn(post.value.body)) {
        if (handle === self.handle) continue;
        rows.push({
          owner,
          id: deliveryId('mention', handle, ids),
          kind: 'mention',
          handle,
          hubs: [],
          ids,
          blobs,
          queuedAt: now,
          attempts: 0,
        });
      }
    }
  }
  return rows;
}

export async function queueDeliveries(db: CoreDb, rows: readonly DeliveryRow[]): Promise<void> {
  if (rows.length === 0) return;
  const tx = db.transaction('deliveries', 'readwrite');
  await Promise.all([...rows.map((r) => tx.store.put(r)), tx.done]);
}

/**
 * Sends every queued delivery of `owner`, oldest first. Stops at the first
 * transient failure (no network, a rate limit) and leaves the rest queued;
 * a permanent refusal drops that row (a DM is marked failed, in words).
 * @returns how many were delivered, and whether rows remain.
 */
export async function deliverQueued(
  deps: DeliveryDeps,
  owner: PseudonymId,
): Promise<{ delivered: number; remaining: boolean; dmChanged: boolean }> {
  const rows = (await deps.db.getAll('deliveries', IDBKeyRange.bound([owner], [owner, []]))).sort(
    (a, b) => a.queuedAt - b.queuedAt,
  );
  let delivered = 0;
  let dmChanged = false;
  for (const row of rows) {
    try {
      await deliverOne(deps, row);
      delivered++;
      dmChanged ||= row.kind === 'dm';
    } catch (error) {
      const name = errorName(error);
      if (TRANSIENT.has(name)) return { delivered, remaining: true, dmChanged };
      console.warn(`murmur: dropped a ${row.kind} notice that cannot be delivered (${name})`, error);
      await settle(deps.db, row, `${name}: ${(error as Error).message}`);
      dmChanged ||= row.kind === 'dm';
    }
  }
  return { delivered, remaining: false, dmChanged };
}

async function deliverOne(deps: DeliveryDeps, queued: DeliveryRow): Promise<void> {
  const { db, now } = deps;
  let row = queued;
  if (!row.to) {
    const resolved = await resolveHandle(deps, row.handle!);
    if (resolved.target === row.owner) return settle(db, row);
    row = { ...row, to: resolved.target, hubs: [resolved.hub] };
    await putContact(db, {
      owner: row.owner,
      peer: resolved.target,
      handle: formatHandle(parseHandle(resolved.handle)),
    });
  }
  const to = row.to!;
  const origin = row.hubs[0] ?? (await findHubsOf(db, row.owner, to))[0];
  if (!origin) throw new CoreError('NoHub', 'no hub is known where this person reads its inbox');
  const hub = deps.hub(origin);
  const secretKey = await getSecretKey(db, row.owner);
  const sign = (request: Parameters<typeof signRequest>[1]) => signRequest(secretKey, request);
  if (row.sealed) {
    const [missing] = await hub.missingBlobs([row.ids[0]!]);
    if (missing) await hub.putBlob(missing, row.sealed, sign, now());
  } else {
    const held = await findBlobs(db, row.owner, row.blobs);
    for (const id of await hub.missingBlobs([...held.keys()])) await hub.putBlob(id, held.get(id)!, sign, now());
  }
  // Re-send the stored notice while the hub still accepts its time: the same bytes are kept once.
  let notice = row.notice;
  if (!notice || Math.abs(now() - notice.ts) > REQUEST_SKEW_MS / 2) {
    const ts = now();
    notice = { bytes: buildNotice(secretKey, { to, kind: row.kind, ids: row.ids, ts }).bytes, ts };
    row = { ...row, notice, attempts: row.attempts + 1 };
    await db.put('deliveries', row);
  }
  await hub.postNotice(to, notice.bytes);
  await settle(db, row);
}

/** Removes the row; a DM's own row becomes 'sent', or 'failed' with `error`. */
async function settle(db: CoreDb, row: DeliveryRow, error?: string): Promise<void> {
  const tx = db.transaction(['deliveries', 'dms'], 'readwrite');
  const dm = row.kind === 'dm' ? await tx.objectStore('dms').get([row.owner, row.ids[0]!]) : undefined;
  await Promise.all([
    tx.objectStore('deliveries').delete([row.owner, row.id]),
    ...(dm
      ? [
          tx
            .objectStore('dms')
            .put(error ? { ...dm, state: 'failed' as const, error } : { ...dm, state: 'sent' as const }),
        ]
      : []),
    tx.done,
  ]);
}
