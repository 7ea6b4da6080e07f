/**
 * Deliveries: notices (and sealed DMs) to other people's inboxes, queued
 * like posts. A local action queues its rows at once; `deliverQueued` puts
 * the blobs the notice names to the recipient's hub (only those it lacks),
 * then the signed notice, and deletes the row once the hub acknowledged it.
 * The signed notice is stored before it is sent and re-sent as the same
 * bytes while fresh, and the hub keeps a notice once, so a retry after a
 * crash never makes a second notice; a recipient also keeps each event once.
 * Storage and keys are parameters (the core store, a key source).
 */
import type { SignedCommit } from '../../src/protocol/commits.ts';
import { formatHandle, parseHandle } from '../../src/protocol/handle-names.ts';
import type { ObjectId, PseudonymId } from '../../src/protocol/ids.ts';
import type { Verify } from '../../src/protocol/keys.ts';
import { mentionsIn } from '../../src/protocol/mentions.ts';
import { NOTICE_LIMITS, type NoticeKind, buildNotice } from '../../src/protocol/notices.ts';
import type { BuiltObject, PostObject } from '../../src/protocol/objects.ts';
import { REQUEST_SKEW_MS, signRequest } from '../../src/protocol/request-auth.ts';
import { type ContactDeps, findHubsOf } from './contacts.ts';
import type { DeliveryRow } from '../store/inbox-rows.ts';
import { CoreError, errorName } from '../errors.ts';
import { resolveHandle } from '../feed/handle-lookup.ts';
import { findCurrentHubs } from '../feed/pointer.ts';
import type { HubClient } from '../net/hub-client.ts';

export interface DeliveryDeps extends ContactDeps {
  readonly hub: (origin: string, as?: PseudonymId) => HubClient;
  readonly verify: Verify;
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
  deps: ContactDeps,
  owner: PseudonymId,
  commit: SignedCommit,
  post: BuiltObject<PostObject> | undefined,
  now: number,
): Promise<DeliveryRow[]> {
  const rows: DeliveryRow[] = [];
  const ownHandle = await deps.keys.findHandle(owner);
  const add = async (kind: NoticeKind, target: ObjectId, ids: ObjectId[]) => {
    const author = await deps.store.findPostAuthor(target);
    if (!author || author === owner) return;
    rows.push({
      owner,
      id: deliveryId(kind, author, ids),
      kind,
      to: author,
      hubs: await findHubsOf(deps, owner, author),
      ids,
      blobs: ids,
      queuedAt: now,
      attempts: 0,
    });
  };
  for (const op of commit.commit.ops) {
    // A follow tells the followed, so they can approve the follower as a reader of their followers posts.
    if (op.type === 'follow' && op.target !== owner) {
      const ids = [commit.id];
      const hubs = await findHubsOf(deps, owner, op.target);
      const id = deliveryId('follow', op.target, ids);
      rows.push({ owner, id, kind: 'follow', to: op.target, hubs, ids, blobs: ids, queuedAt: now, attempts: 0 });
    } else if (op.type === 'react') await add('react', op.target, [commit.id]);
    else if (op.type === 'repost') await add('repost', op.object, [commit.id]);
    else if (op.type === 'post' && post && op.object === post.id) {
      const ids = [commit.id, post.id];
      if (post.value.reply_to) await add('reply', post.value.reply_to, ids);
      if (post.value.quote_of) await add('quote', post.value.quote_of, ids);
      const blobs = [...ids, ...(post.value.media ?? [])];
      for (const handle of mentionsIn(post.value.body)) {
        if (handle === ownHandle) continue;
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

/**
 * Sends every queued delivery of `owner`, oldest first. A transient failure (a rate limit, a hub down) leaves
 * that row queued and skips the later rows for the same hub, while rows for other hubs go on (a hive on two hubs
 * keeps hearing from its members while one is down; with no network at all, each hub fails once). A row whose hub
 * is not known yet (a mention's handle) stops the pass at such a failure. A permanent refusal drops the row (a
 * DM is marked failed, in words).
 * @returns how many were delivered, and whether rows remain.
 */
export async function deliverQueued(
  deps: DeliveryDeps,
  owner: PseudonymId,
): Promise<{ delivered: number; remaining: boolean; dmChanged: boolean }> {
  const rows = await deps.store.listDeliveries(owner);
  let delivered = 0;
  let dmChanged = false;
  let remaining = false;
  /** Hubs that failed for now in this pass: their later rows wait for the next. */
  const stalled = new Set<string>();
  for (const row of rows) {
    const origin = row.hubs[0];
    if (origin !== undefined && stalled.has(origin)) continue;
    try {
      await deliverOne(deps, row);
      delivered++;
      dmChanged ||= row.kind === 'dm';
    } catch (error) {
      const name = errorName(error);
      if (TRANSIENT.has(name)) {
        remaining = true;
        if (origin === undefined) return { delivered, remaining, dmChanged };
        stalled.add(origin);
        continue;
      }
      // Words only: a refusal is expected (a closed inbox, a bad key), and the command line prints this on stderr.
      console.warn(
        `murmur: dropped a ${row.kind} notice that cannot be delivered: ${name}: ${(error as Error).message}`,
      );
      await deps.store.settleDelivery(row, `${name}: ${(error as Error).message}`);
      dmChanged ||= row.kind === 'dm';
    }
  }
  return { delivered, remaining: remaining || stalled.size > 0, dmChanged };
}

async function deliverOne(deps: DeliveryDeps, queued: DeliveryRow): Promise<void> {
  const { store, now } = deps;
  let row = queued;
  if (!row.to) {
    const resolved = await resolveHandle(deps, row.handle!, { as: row.owner });
    if (resolved.target === row.owner) return store.settleDelivery(row);
    row = { ...row, to: resolved.target, hubs: [resolved.hub] };
    await store.putContact({
      owner: row.owner,
      peer: resolved.target,
      handle: formatHandle(parseHandle(resolved.handle)),
    });
  }
  const to = row.to!;
  let origin = row.hubs[0] ?? (await findHubsOf(deps, row.owner, to))[0];
  if (!origin) throw new CoreError('NoHub', 'no hub is known where this person reads its inbox');
  // A person whose feed this device does not hold may have moved since we learned the hub: its signed pointer
  // there says where to (a handle was just resolved, which followed it already).
  if (queued.to && !(await store.findTips(to)))
    origin = (await findCurrentHubs(deps, to, origin, row.owner))[0] ?? origin;
  const hub = deps.hub(origin, row.owner);
  const secretKey = await deps.keys.getSecretKey(row.owner);
  const sign = (request: Parameters<typeof signRequest>[1]) => signRequest(secretKey, request);
  if (row.sealed) {
    const [missing] = await hub.missingBlobs([row.ids[0]!]);
    if (missing) await hub.putBlob(missing, row.sealed, sign, now());
  } else {
    const held = await store.findBlobs(row.owner, row.blobs);
    for (const id of await hub.missingBlobs([...held.keys()])) await hub.putBlob(id, held.get(id)!, sign, now());
  }
  // Re-send the stored notice while the hub still accepts its time: the same bytes are kept once.
  let notice = row.notice;
  if (!notice || Math.abs(now() - notice.ts) > REQUEST_SKEW_MS / 2) {
    const ts = now();
    // Where the sender's feed lives, so a recipient on other hubs can fetch it (a DM carries its own, sealed).
    const hubs = row.kind === 'dm' ? [] : (await deps.keys.getHubs(row.owner)).slice(0, NOTICE_LIMITS.hubs);
    notice = { bytes: buildNotice(secretKey, { to, kind: row.kind, ids: row.ids, ts, hubs }).bytes, ts };
    row = { ...row, notice, attempts: row.attempts + 1 };
    await store.queueDeliveries([row]);
  }
  await hub.postNotice(to, notice.bytes);
  await store.settleDelivery(row);
}
