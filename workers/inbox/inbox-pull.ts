/**
 * Pulling one pseudonym's inbox from its home hub: signed, paged from the
 * stored cursor, each notice's signature checked, then what it names fetched
 * and verified (notice-check.ts, direct-messages.ts) before anything is
 * stored. A notice that fails is dropped by name; a lost connection stops
 * the pull without moving the cursor, so nothing is skipped. Storage and
 * keys are parameters (the core store, a key source).
 */
import { ProtocolError } from '../../src/protocol/errors.ts';
import type { PseudonymId } from '../../src/protocol/ids.ts';
import { decodeNoticeJson, verifyNotice } from '../../src/protocol/notices.ts';
import type { NoticeJson } from '../../src/protocol/routes.ts';
import { signRequest } from '../../src/protocol/request-auth.ts';
import { type DmDeps, receiveDm } from './direct-messages.ts';
import { errorName } from '../errors.ts';
import type { HubClient } from '../net/hub-client.ts';
import { getHubsOf } from '../keys/key-source.ts';
import { checkNotice } from './notice-check.ts';

export interface InboxDeps extends DmDeps {
  readonly hub: (origin: string, as?: PseudonymId) => HubClient;
  /** Feeds the owner blocked: their notices are dropped before anything they name is fetched. */
  readonly blocked?: (owner: PseudonymId) => Promise<ReadonlySet<PseudonymId>>;
  /**
   * Whether the owner's inbox takes notices from a sender, as its settings say (inbox-policy-sync.ts): those it
   * does not are dropped as InboxClosed, as its hubs would have (one may hold an older policy). Absent: all.
   */
  readonly inboxAdmits?: (owner: PseudonymId) => Promise<(from: PseudonymId) => boolean>;
  /**
   * Brings the owner's own feed up to its hubs' head (what another device or the owner's agent published). Called
   * at most once per pull, when a notice names a post this device does not hold (SubjectUnknown): a reaction to
   * one's agent's post may arrive before this device has pulled that post.
   */
  readonly catchUpOwn?: (owner: PseudonymId) => Promise<unknown>;
}

/** Failures that say nothing about the notice: stop and try again later. */
const RETRY = new Set(['Offline', 'HubUnavailable', 'Locked', 'StorageError', 'StorageFull', 'Aborted']);

/** At most this many pages per pull (a backlog continues on the next pull). */
const MAX_PAGES = 20;

/**
 * @returns counts of new notifications and messages stored.
 * @throws CoreError Offline, HubUnavailable, Locked (nothing after the last full page is lost)
 */
export async function pullInbox(deps: InboxDeps, owner: PseudonymId): Promise<PullResult> {
  const { store, keys } = deps;
  const [{ home: origin }, handle, former] = await Promise.all([
    getHubsOf(keys, owner),
    keys.findHandle(owner),
    keys.listFormerHandles?.(owner) ?? [],
  ]);
  const handles = handle === undefined ? former : [handle, ...former];
  const hub = deps.hub(origin, owner);
  const secretKey = await keys.getSecretKey(owner);
  const counts = { notifications: 0, messages: 0, dropped: [] as string[] };
  const blocked = (await deps.blocked?.(owner)) ?? new Set<PseudonymId>();
  const admits = (await deps.inboxAdmits?.(owner)) ?? (() => true);
  const pull: Pull = { hub, owner, handles, blocked, admits, caughtUp: false };
  for (let page = 0; page < MAX_PAGES; page++) {
    const cursor = await store.findInboxCursor(owner, origin);
    const answer = await hub.listInbox(owner, cursor, (request) => signRequest(secretKey, request), deps.now());
    if (answer.notices.length === 0 || answer.next === undefined) break;
    for (const json of answer.notices) {
      const outcome = await takeNotice(deps, pull, json);
      if (outcome === 'notifications' || outcome === 'messages') counts[outcome]++;
      else if (outcome) counts.dropped.push(outcome.dropped);
    }
    await store.putInboxCursor(owner, origin, answer.next);
  }
  return counts;
}

export interface PullResult {
  readonly notifications: number;
  readonly messages: number;
  /** The error name of each notice dropped (it did not verify or did not concern the owner). */
  readonly dropped: readonly string[];
}

/** One pull's context; `caughtUp` once the owner's own feed was brought up to date in it. */
interface Pull {
  readonly hub: HubClient;
  readonly owner: PseudonymId;
  /** Its handle and those of hubs it moved away from: a mention of any is of it. */
  readonly handles: readonly string[];
  readonly blocked: ReadonlySet<PseudonymId>;
  readonly admits: (from: PseudonymId) => boolean;
  caughtUp: boolean;
}

async function takeNotice(
  deps: InboxDeps,
  pull: Pull,
  json: NoticeJson,
): Promise<'notifications' | 'messages' | { dropped: string } | undefined> {
  const { hub, owner, handles, blocked } = pull;
  try {
    const signed = decodeNoticeJson(json);
    const { notice } = signed;
    if (notice.to !== owner) throw new ProtocolError('WrongRecipient', `a notice for ${notice.to} in ${owner}'s inbox`);
    if (!(await verifyNotice(signed, deps.verify)))
      throw new ProtocolError('BadSignature', 'the notice signature does not verify');
    if (blocked.has(notice.from)) return { dropped: 'Blocked' };
    if (!pull.admits(notice.from)) return { dropped: 'InboxClosed' };
    // A hive's announcement belongs on its board, read by the hive's readers (workers/hives), not a person's inbox.
    if (notice.kind === 'hive') return { dropped: 'NotForPerson' };
    if (notice.kind === 'dm')
      return (await receiveDm(deps, hub, owner, notice.from, notice.ids[0]!)) ? 'messages' : undefined;
    const check = () => checkNotice(deps, hub, owner, handles, notice);
    const row = await check().catch(async (error: unknown) => {
      if (errorName(error) !== 'SubjectUnknown' || !deps.catchUpOwn || pull.caughtUp) throw error;
      pull.caughtUp = true;
      await deps.catchUpOwn(owner);
      return check();
    });
    // Verified: the sender's hubs are where its feed is asked for, to name it (people.ts) or seal to it.
    if (notice.hubs) await deps.store.putContact({ owner, peer: row.from, hubs: notice.hubs });
    return (await deps.store.addNotification(row)) ? 'notifications' : undefined;
  } catch (error) {
    if (RETRY.has(errorName(error))) throw error;
    console.warn(`murmur: dropped a notice that does not verify (${errorName(error)}): ${(error as Error).message}`);
    return { dropped: errorName(error) };
  }
}
