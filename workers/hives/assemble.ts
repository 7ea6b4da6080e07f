/**
 * Assembling a hive as a reader (PROTOCOL.md, Assembling a hive): the hive's
 * own feed, then its board (the notices its members left), each notice's
 * commit and the objects its hive ops publish, all checked; the entries go to
 * hiveState, which applies the signed membership, bans and removals. Nothing
 * asks the owner or a moderator to be online, and nothing is stored.
 */
import { type SignedCommit, decodeCommit } from '../../src/protocol/commits.ts';
import { ProtocolError } from '../../src/protocol/errors.ts';
import { type Stamp, compareStamps } from '../../src/protocol/feed-state.ts';
import { type HiveEntry, type HiveState, hiveState } from '../../src/protocol/hive-state.ts';
import { type HiveObject, decodeHiveObject } from '../../src/protocol/hives.ts';
import type { CommitId, ObjectId, PseudonymId } from '../../src/protocol/ids.ts';
import type { Verify } from '../../src/protocol/keys.ts';
import { decodeNoticeJson, verifyNotice } from '../../src/protocol/notices.ts';
import type { NoticeJson } from '../../src/protocol/routes.ts';
import { errorName } from '../errors.ts';
import type { HubClient } from '../net/hub-client.ts';
import { checkCommit, fetchBlobs, readWholeFeed } from './fetch-verified.ts';
import type { HiveCache } from './hive-cache.ts';

export interface AssembleDeps {
  readonly hub: (origin: string, as?: PseudonymId) => HubClient;
  readonly verify: Verify;
  /** What earlier reads checked and read (a board's pages, blobs, signatures): fetched and checked once. */
  readonly cache?: HiveCache;
}

/** At most this many notices of one board are read (a page is 200). */
export const BOARD_LIMIT = 20_000;

/** A notice or commit left out, and why (its error's name): what a reader can show of a hostile board. */
export interface Dropped {
  readonly from?: PseudonymId;
  readonly commit?: CommitId;
  readonly reason: string;
}

export interface AssembledHive {
  readonly state: HiveState;
  /**
   * The asking pseudonym's standing vote on each target it voted on (its latest vote op by stamp; 0 when
   * withdrawn), from the same checked entries: what its buttons show pressed, on any of its devices.
   */
  readonly mine: Readonly<Record<ObjectId, -1 | 0 | 1>>;
  /** How many notices the board held, and which were dropped. */
  readonly notices: number;
  /** Each sender of a notice that verified, with the hubs it said its feed lives on (to fetch its name). */
  readonly announcers: ReadonlyMap<PseudonymId, readonly string[]>;
  readonly dropped: readonly Dropped[];
}

/**
 * The hive `hive` as its hubs show it to anyone.
 * @param hubs the hive's hubs, home first (its board is read on the first that answers).
 * @param as the pseudonym asking (its hub alias is used: net/hub-aliases.ts).
 * @throws ProtocolError as readWholeFeed (a forged hive feed); CoreError Offline when no hub answers
 */
export async function assembleHive(
  deps: AssembleDeps,
  hive: PseudonymId,
  hubs: readonly string[],
  as?: PseudonymId,
): Promise<AssembledHive> {
  const clients = hubs.map((h) => deps.hub(h, as));
  const own = await readWholeFeed(clients, hive, deps.verify, deps.cache);
  const { notices, read } = await readBoard(clients, hive, deps.cache);
  const dropped: Dropped[] = [];
  // Each commit once, with every sender that announced it: only its author's word counts.
  const wanted = new Map<CommitId, Announcers>();
  const announcers = new Map<PseudonymId, readonly string[]>();
  for (const json of notices) {
    try {
      const signed = decodeNoticeJson(json);
      const { notice } = signed;
      if (notice.to !== hive || notice.kind !== 'hive')
        throw new ProtocolError('InvalidField', 'not an announcement to this hive', { field: 'kind' });
      if (!(await verifyNotice(signed, deps.verify)))
        throw new ProtocolError('BadSignature', 'the notice signature does not verify');
      const [commit] = notice.ids;
      const known = wanted.get(commit!) ?? { from: new Set(), hubs: new Set() };
      known.from.add(notice.from);
      announcers.set(notice.from, notice.hubs ?? []);
      for (const hub of notice.hubs ?? []) known.hubs.add(hub);
      wanted.set(commit!, known);
    } catch (error) {
      dropped.push({ ...(typeof json?.from === 'string' && { from: json.from }), reason: errorName(error) });
    }
  }
  const announced = await fetchAnnounced(deps, clients, wanted, as, dropped);
  const ownIds = new Set(own.map((c) => c.id));
  const commits = [...own, ...announced.filter((c) => !ownIds.has(c.id))];
  const entries = await entriesOf(clients, commits, deps.cache);
  const state = hiveState(hive, entries);
  return { state, mine: standingVotes(entries, as), notices: read, dropped, announcers };
}

/**
 * Every notice on each of the hive's hubs that answers, page by page: an announcement reached at least one of
 * them (each hub is sent its own), so the union is the board. A hub that is down is skipped; none answering throws.
 */
async function readBoard(clients: readonly HubClient[], hive: PseudonymId, cache: HiveCache | undefined) {
  let last: unknown;
  let answered = false;
  const notices: NoticeJson[] = [];
  for (const client of clients) {
    // From where the last read of this hub's board ended: a board only grows.
    const before = cache?.board(hive, client.origin) ?? { notices: [] };
    const board = [...before.notices];
    let next = before.next;
    try {
      let page: Awaited<ReturnType<HubClient['listBoard']>>;
      do {
        page = await client.listBoard(hive, next);
        board.push(...page.notices);
        if (page.notices.length > 0 && page.next !== undefined) next = page.next;
      } while (page.notices.length > 0 && page.next !== undefined && board.length < BOARD_LIMIT);
      answered = true;
    } catch (error) {
      // A hub that holds no board for it (no policy yet) answers as for a person's inbox: nothing to read there.
      if (errorName(error) === 'Forbidden' || errorName(error) === 'Unauthenticated') answered = true;
      else last = error;
    }
    // What was read stands even when a later page failed: the next read goes on from it.
    cache?.keepBoard(hive, client.origin, { notices: board, ...(next !== undefined && { next }) });
    notices.push(...board);
  }
  if (!answered && last) throw last;
  // The same notice from two hubs is one (its signature names it).
  const unique = [...new Map(notices.map((n) => [n.sig, n])).values()];
  return { notices: unique, read: unique.length };
}

/** Who announced a commit, and where they said their feeds live. */
interface Announcers {
  readonly from: Set<PseudonymId>;
  readonly hubs: Set<string>;
}

/**
 * The announced commits, from the hive's hubs first, then their announcers' own; each checked as its author's
 * (hash, signature or its agent's delegation), and kept only when an announcer is its author or the agent that
 * signed it: a notice naming someone else's commit is dropped as WrongAuthor.
 */
async function fetchAnnounced(
  deps: AssembleDeps,
  clients: readonly HubClient[],
  wanted: ReadonlyMap<CommitId, Announcers>,
  as: PseudonymId | undefined,
  dropped: Dropped[],
): Promise<SignedCommit[]> {
  const held = await fetchBlobs(clients, [...wanted.keys()], deps.cache);
  const commits: SignedCommit[] = [];
  for (const [id, { from, hubs }] of wanted) {
    try {
      const elsewhere = [...hubs].filter((h) => !clients.some((c) => c.origin === h)).map((h) => deps.hub(h, as));
      const bytes = held.get(id) ?? (await fetchBlobs(elsewhere, [id], deps.cache)).get(id);
      if (!bytes) throw new ProtocolError('NotFound', `no hub asked serves commit ${id}`);
      const signed = await checkCommit(bytes, id, decodeCommit(bytes, id).commit.author, deps.verify, deps.cache);
      // Its author speaks for it, or the agent that signed it under the author's delegation (checked above).
      const speakers = new Set([signed.commit.author, ...(signed.commit.agent ? [signed.commit.agent.id] : [])]);
      for (const sender of from)
        if (!speakers.has(sender)) dropped.push({ from: sender, commit: id, reason: 'WrongAuthor' });
      if ([...from].some((sender) => speakers.has(sender))) commits.push(signed);
    } catch (error) {
      for (const sender of from) dropped.push({ from: sender, commit: id, reason: errorName(error) });
    }
  }
  return commits;
}

const OBJECT_OPS = new Set(['hive', 'hive_post', 'hive_comment']);

/** Every op of `commits` as an entry, with the objects its hive ops publish (those no hub serves, left out). */
async function entriesOf(
  clients: readonly HubClient[],
  commits: readonly SignedCommit[],
  cache: HiveCache | undefined,
): Promise<HiveEntry[]> {
  const ids = new Set<ObjectId>();
  for (const { commit } of commits)
    for (const op of commit.ops) if (OBJECT_OPS.has(op.type)) ids.add((op as { object: ObjectId }).object);
  const blobs = await fetchBlobs(clients, [...ids], cache);
  const objects = new Map<ObjectId, HiveObject>();
  for (const [id, bytes] of blobs) {
    try {
      objects.set(id, decodeHiveObject(bytes, id).value);
    } catch {
      // not a hive object: the op counts for nothing (hiveState says NoObject)
    }
  }
  return commits.flatMap(({ id, commit }) =>
    commit.ops.map((op, index) => {
      const object = OBJECT_OPS.has(op.type) ? objects.get((op as { object: ObjectId }).object) : undefined;
      return { author: commit.author, commit: id, ts: commit.ts, index, op, ...(object && { object }) };
    }),
  );
}

/** `voter`'s latest vote on each target among `entries` (by stamp, as hiveState counts it). */
function standingVotes(entries: readonly HiveEntry[], voter: PseudonymId | undefined): Record<ObjectId, -1 | 0 | 1> {
  const latest = new Map<ObjectId, { stamp: Stamp; value: -1 | 0 | 1 }>();
  if (voter === undefined) return {};
  for (const e of entries) {
    if (e.author !== voter || e.op.type !== 'vote') continue;
    const stamp: Stamp = [e.ts, e.commit, e.index];
    const held = latest.get(e.op.target);
    if (!held || compareStamps(held.stamp, stamp) < 0) latest.set(e.op.target, { stamp, value: e.op.value });
  }
  return Object.fromEntries([...latest].map(([target, { value }]) => [target, value]));
}
