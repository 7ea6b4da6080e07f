/**
 * Pushes that need no open tab. While a pseudonym's commits wait for the
 * network (offline, or its home hub unreachable), the core worker, which
 * holds the keys, prepares the exact requests that would send them: a signed
 * upload for every blob of the queued commits and the newest feed-log
 * segments, then the signed head. They go to a small database of their own,
 * which the service worker reads when Background Sync fires with no page
 * open (handoff-push.ts). Keys never leave the core worker: the service
 * worker holds requests already signed, nothing it could sign with.
 *
 * Signed requests are good once, on one hub, within REQUEST_SKEW_MS of their
 * time (PROTOCOL.md). The worker cannot sign once the tab is gone, so it
 * signs each blob upload ahead for a run of future times (slots, one every
 * HANDOFF_SLOT_MS, handoff-db.ts), each with its own nonce: whenever the
 * service worker runs (Background Sync, the browser's retry of a failed
 * one, a periodic sync), it sends the slot whose time is now. The slots
 * cover HANDOFF_HORIZON_MS, fewer for a large queue (at most
 * MAX_HANDOFF_SIGNATURES signatures); past them the queue waits for the
 * app's next start. Pre-signed uploads only ever put the queued blobs on
 * the pseudonym's own hub, once: nothing an attacker who read them could
 * turn into anything else.
 *
 * Exactly once holds as for any push: blobs are named by their hash, and the
 * head names commits by id, so a post sent by the service worker and then by
 * a tab is one post; a hub holding a newer head (another device) refuses
 * ours as stale, and the next start merges.
 */
import { buildHead } from '../../src/protocol/heads.ts';
import type { CommitId, ObjectId, PseudonymId } from '../../src/protocol/ids.ts';
import { LIMITS } from '../../src/protocol/limits.ts';
import { newRequestNonce, signRequest } from '../../src/protocol/request-auth.ts';
import { routePath } from '../../src/protocol/routes.ts';
import { findBlobs, findCommits } from '../store/commit-store.ts';
import { type CoreDb, ownedRange } from '../store/db.ts';
import { HANDOFF_SLOT_MS, type Handoff, type HandoffDb, type HandoffRequest } from './handoff-db.ts';
import { getPseudonym, getSecretKey, homeHubOf } from '../keys/keyring.ts';
import { appendOwnLog, findOwnLog } from '../store/own-log-rows.ts';
import { KeyedLock } from '../../src/runtime/keyed-lock.ts';

/** How soon, at the least, the core worker signs a waiting handoff again (with one slot, before it expires). */
export const HANDOFF_REFRESH_MS = 60_000;

/** How long after signing a handoff's slots reach: a day offline with the tab closed. */
export const HANDOFF_HORIZON_MS = 24 * 60 * 60_000;

/** Signatures spent on one handoff's slots at most (about 0.1 ms each): a large queue gets fewer slots. */
export const MAX_HANDOFF_SIGNATURES = 2048;

/** A handoff carries at most this many commits: a long offline stretch is pushed by the app's next start. */
export const MAX_HANDOFF_COMMITS = 100;
interface HandoffDeps {
  readonly db: CoreDb;
  readonly now: () => number;
}

/**
 * The requests that would push `pseudonym`'s queued commits to its home hub, signed now.
 * @returns undefined when nothing is queued, more than MAX_HANDOFF_COMMITS are, or the tips need a merge first.
 * @throws CoreError Locked when the keys are locked (nothing can be signed).
 */
export async function buildHandoff(deps: HandoffDeps, pseudonym: PseudonymId): Promise<Handoff | undefined> {
  const { db, now } = deps;
  const tx = db.transaction(['tips', 'outbox']);
  const [tips, queued] = await Promise.all([
    tx.objectStore('tips').get(pseudonym),
    tx.objectStore('outbox').getAllKeys(ownedRange(pseudonym)),
  ]);
  const commits = queued.map(([, id]) => id as CommitId);
  // Nothing to send, a merge first (only a tab can merge), or more than a background push should carry.
  if (!tips || commits.length === 0 || commits.length > MAX_HANDOFF_COMMITS || tips.heads.length > LIMITS.headsPerHead)
    return undefined;

  const hub = homeHubOf(await getPseudonym(db, pseudonym));
  const secretKey = await getSecretKey(db, pseudonym);
  const logs = await appendOwnLog(db, pseudonym, commits); // as the push would: idempotent
  const held = await findCommits(db, pseudonym, commits);
  const ids: ObjectId[] = [...new Set([...held.flatMap((c) => c.objects), ...held.map((c) => c.id), ...logs])];
  const bytes = await findBlobs(db, pseudonym, ids);
  const signedAt = now();
  const slots = slotTimes(signedAt, ids.length);
  const host = new URL(hub).host;
  const requests: HandoffRequest[] = [];
  for (const id of ids) {
    const body = bytes.get(id);
    if (!body) return undefined; // a blob not on this device: the tab's push says so loudly; the handoff just waits
    const path = routePath('putBlob', { id });
    // A blob's id is the hash of its bytes: given, so a slot's signature does not hash a large blob again.
    const auth = slots.map((ts) =>
      signRequest(secretKey, { method: 'PUT', path, body, bodyHash: id, ts, host, nonce: newRequestNonce() }),
    );
    requests.push({
      method: 'PUT',
      url: `${hub}${path}`,
      headers: { 'content-type': 'application/octet-stream' },
      auth,
      body,
    });
  }
  const log = await findOwnLog(db, pseudonym);
  const head = buildHead(secretKey, {
    heads: [...tips.heads].sort(),
    seq: tips.seq,
    ts: signedAt,
    ...(log && { log }),
  });
  const headUrl = `${hub}${routePath('putHead', { author: pseudonym })}`;
  requests.push({
    method: 'PUT',
    url: headUrl,
    headers: { 'content-type': 'application/json' },
    auth: [],
    body: head.bytes,
  });
  return { pseudonym, hub, signedAt, slots, commits, requests };
}

/**
 * The slots of a handoff of `uploads` signed uploads signed at
 * `signedAt`: as many as the horizon and the signature budget allow.
 */
export function slotTimes(signedAt: number, uploads: number): number[] {
  const count = Math.max(
    1,
    Math.min(
      Math.floor(HANDOFF_HORIZON_MS / HANDOFF_SLOT_MS),
      Math.floor(MAX_HANDOFF_SIGNATURES / Math.max(1, uploads)),
    ),
  );
  return Array.from({ length: count }, (_, i) => signedAt + i * HANDOFF_SLOT_MS);
}

/** When a handoff's slots run out soon enough that it should be signed again (at least a minute from now). */
function refreshDelay(handoff: Handoff): number {
  return Math.max(HANDOFF_REFRESH_MS, (handoff.slots.length - 1) * HANDOFF_SLOT_MS);
}

/** Posts made in a burst are signed into one handoff this long after the last (signing is per blob). */
const SETTLE_MS = 500;

export interface HandoffKeeperDeps {
  readonly handoffs: Promise<HandoffDb>;
  /** Signs the handoff of `pseudonym`'s queue as it is now (buildHandoff over the core's database). */
  readonly build: (pseudonym: PseudonymId) => Promise<Handoff | undefined>;
}

/**
 * Keeps each waiting pseudonym's handoff signed: soon after its queue
 * changes, then every HANDOFF_REFRESH_MS, until the queue is sent.
 *
 * Invariants: a pseudonym's signings and drops run one at a time, in the
 * order asked, so an older one never overwrites a newer; and a change of the
 * queue while a signing runs (a post made meanwhile, the queue sent) keeps
 * its own prompt turn: the finished signing, already outdated, does not
 * push the next one back to the slow refresh.
 */
export class HandoffKeeper {
  readonly #timers = new Map<PseudonymId, ReturnType<typeof setTimeout>>();
  /** Counts each pseudonym's queue changes (waiting, cleared), so a signing knows whether it is still current. */
  readonly #changes = new Map<PseudonymId, number>();
  readonly #lock = new KeyedLock();
  #closed = false;

  readonly #deps: HandoffKeeperDeps;
  constructor(deps: HandoffKeeperDeps) {
    this.#deps = deps;
  }

  /** `pseudonym`'s commits wait for the network: sign a handoff for them shortly, and keep it fresh. */
  waiting(pseudonym: PseudonymId): void {
    if (this.#closed) return;
    this.#changed(pseudonym);
    this.#schedule(pseudonym, SETTLE_MS);
  }

  /** Nothing of `pseudonym` waits any more (a tab sent it): no handoff. */
  async cleared(pseudonym: PseudonymId): Promise<void> {
    this.#changed(pseudonym);
    clearTimeout(this.#timers.get(pseudonym));
    this.#timers.delete(pseudonym);
    // After any signing in flight, which would otherwise put back what was just sent.
    await this.#lock.run(pseudonym, async () => (await this.#deps.handoffs).delete('handoffs', pseudonym));
  }

  close(): void {
    this.#closed = true;
    for (const timer of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
  }

  #changed(pseudonym: PseudonymId): void {
    this.#changes.set(pseudonym, (this.#changes.get(pseudonym) ?? 0) + 1);
  }

  #schedule(pseudonym: PseudonymId, delay: number): void {
    if (this.#closed) return;
    clearTimeout(this.#timers.get(pseudonym));
    this.#timers.set(
      pseudonym,
      setTimeout(() => void this.#sign(pseudonym), delay),
    );
  }

  #sign(pseudonym: PseudonymId): Promise<void> {
    return this.#lock.run(pseudonym, async () => {
      const asOf = this.#changes.get(pseudonym);
      let next = HANDOFF_REFRESH_MS;
      try {
        const handoff = await this.#deps.build(pseudonym);
        const db = await this.#deps.handoffs;
        // nothing to keep fresh until the queue changes
        if (!handoff) return void (await db.delete('handoffs', pseudonym));
        await db.put('handoffs', handoff);
        next = refreshDelay(handoff);
      } catch (error) {
        // Locked keys sign nothing (the queue waits for the unlock); anything else is logged and tried again.
        if ((error as { name?: string } | null)?.name !== 'Locked')
          console.error('murmur: could not prepare the queued posts for the service worker', error);
      }
      // The queue changed while this ran: its own turn, already set, signs it again soon.
      if (this.#changes.get(pseudonym) === asOf) this.#schedule(pseudonym, next);
    });
  }
}
