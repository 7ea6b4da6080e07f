/**
 * Hives through the facade (issue 21; PROTOCOL.md, Hives and Assembling a
 * hive). A member's act is a commit in its own feed, pushed as any, and an
 * announcement queued for the hive's board with the device's other
 * deliveries (so one made offline goes out later, once). The owner's
 * decisions are commits of the hive's own feed, signed by the hive key
 * (owned-hives.ts), pushed by a sync engine of their own. Reading assembles
 * the hive from its hubs, checking everything (hives/assemble.ts).
 */
import { buildInboxPolicy } from '../../src/protocol/inbox-policy.ts';
import { newHiveKey } from '../../src/protocol/hive-key.ts';
import type { AnyHiveOp } from '../../src/protocol/hive-ops.ts';
import type { HiveState } from '../../src/protocol/hive-state.ts';
import { buildHiveComment, buildHivePost, buildHiveSettings } from '../../src/protocol/hives.ts';
import type { PseudonymId } from '../../src/protocol/ids.ts';
import type { Verify } from '../../src/protocol/keys.ts';
import type { Op } from '../../src/protocol/ops.ts';
import type { BuiltObject } from '../../src/protocol/objects.ts';
import { asResult } from '../errors.ts';
import { type OwnCommitDeps, commitOwn } from '../feed/local-commits.ts';
import { deliveryId } from '../inbox/deliveries.ts';
import type { PersonMet } from '../inbox/people.ts';
import type { OwnedHiveEntry } from '../private/owned-hives-doc.ts';
import type { Random } from '../keys/keyring.ts';
import type { KeySource } from '../keys/key-source.ts';
import type { HubClient } from '../net/hub-client.ts';
import { assembleHive } from '../hives/assemble.ts';
import { HiveCache } from '../hives/hive-cache.ts';
import {
  claimHiveHandle,
  handleNameFor,
  listHive,
  listedHives,
  putHiveListing,
  unlistHive,
} from '../hives/hive-listing.ts';
import { parseHandle } from '../../src/protocol/handle-names.ts';
import { type KnownHives, type OwnedHive, type OwnedHives, hiveKeySource } from '../hives/owned-hives.ts';
import type { CoreStore } from '../store/core-store.ts';
import type { HiveActed, HiveAddress, HivesApi } from './hives-types.ts';
import type { KeyedLock } from '../../src/runtime/keyed-lock.ts';

export interface HivesApiDeps {
  readonly store: CoreStore;
  readonly keys: KeySource;
  readonly owned: OwnedHives;
  readonly known: KnownHives;
  readonly hub: (origin: string, as?: PseudonymId) => HubClient;
  readonly verify: Verify;
  readonly now: () => number;
  readonly random: Random;
  readonly locks: KeyedLock;
  /** A member's commit was stored: push its feed. */
  readonly pushSoon: (pseudonym: PseudonymId) => void;
  /** A hive's own commit was stored: push the hive's feed (its own sync engine); resolves when that push ends. */
  readonly pushHive: (hive: PseudonymId) => Promise<void>;
  /** Announcements were queued for `owner`: send them. */
  readonly deliver: (owner: PseudonymId) => void;
  /** Keeps a hive the owner made (or its handle) in its private state, for its other devices (private-api.ts). */
  readonly recordOwned?: (owner: PseudonymId, entry: OwnedHiveEntry) => Promise<void>;
  /** Fetches, when due, the feeds of people `viewer` met in a hive, to name them (inbox/people.ts). */
  readonly nameMet?: (viewer: PseudonymId, met: readonly PersonMet[]) => void;
}

type Published = BuiltObject<{ readonly type: string }>;

export function createHivesApi(deps: HivesApiDeps): HivesApi {
  const { store, keys, owned, known, now } = deps;
  // What earlier reads fetched and checked: a screen reading the hive after each act pays only for what is new.
  const cache = new HiveCache();
  const remember = (pseudonym: PseudonymId, at: HiveAddress, more: { name?: string; left?: boolean } = {}) =>
    known.put({ pseudonym, hive: at.hive, hubs: [...at.hubs], since: now(), ...more });
  const own: OwnCommitDeps = { store, keys, now, locks: deps.locks };
  const asHive: OwnCommitDeps = { ...own, keys: hiveKeySource(owned, keys) };

  /** A commit of `pseudonym`'s own feed, announced to the hive's board (commit and objects put there first). */
  async function act(pseudonym: PseudonymId, at: HiveAddress, ops: Op[], objects: Published[] = []) {
    const blobs = objects.map(({ id, bytes }) => ({ id, bytes }));
    const signed = await commitOwn(own, pseudonym, () => ({ ops, posts: [], blobs }));
    const ids = [signed.id];
    // One announcement per hub of the hive, each queued on its own: a hub that is down delays only its own.
    await store.queueDeliveries(
      at.hubs.map((hub) => ({
        owner: pseudonym,
        id: deliveryId('hive', `${at.hive} ${hub}`, ids),
        kind: 'hive' as const,
        to: at.hive,
        hubs: [hub],
        ids,
        blobs: [signed.id, ...blobs.map((b) => b.id)],
        queuedAt: now(),
        attempts: 0,
      })),
    );
    deps.pushSoon(pseudonym);
    deps.deliver(pseudonym);
    return { commitId: signed.id, ...(objects[0] && { id: objects[0].id }) };
  }

  /** A commit of the hive's own feed: the owner's word, signed by the hive key. */
  async function ownerAct(hive: PseudonymId, ops: Op[], objects: Published[] = []): Promise<HiveActed> {
    const blobs = objects.map(({ id, bytes }) => ({ id, bytes }));
    const signed = await commitOwn(asHive, hive, () => ({ ops, posts: [], blobs }));
    void deps.pushHive(hive);
    return { commitId: signed.id };
  }

  /**
   * Opens the board on each of the hive's hubs that has not taken it yet (a board lists no senders, so it needs no
   * salt); one that cannot be reached now is asked again at the owner's next act.
   */
  async function openBoard(hive: PseudonymId) {
    const row = (await owned.find(hive))!;
    const waiting = row.hubs.filter((h) => !row.boardOn?.includes(h));
    if (waiting.length === 0) return;
    const secretKey = await asHive.keys.getSecretKey(hive);
    const ts = now();
    const policy = buildInboxPolicy(secretKey, { mode: 'board', senders: [], seq: ts, ts }, new Uint8Array(16));
    const sent = await Promise.allSettled(waiting.map((h) => deps.hub(h, hive).putInboxPolicy(hive, policy.bytes)));
    const took = waiting.filter((_, i) => sent[i]!.status === 'fulfilled');
    if (took.length > 0) await owned.put({ ...row, boardOn: [...(row.boardOn ?? []), ...took] });
  }

  /** The owner listed or unlisted the hive: its directory entry follows (its handle kept once claimed). */
  async function relist(row: OwnedHive, listed: boolean, name: string | undefined) {
    const secretKey = await asHive.keys.getSecretKey(row.hive);
    if (!listed) return unlistHive(deps, secretKey, row.hubs);
    const shown = name ?? (await known.list(row.owner)).find((r) => r.hive === row.hive)?.name ?? 'hive';
    const handleName = row.handle ? parseHandle(row.handle).name : handleNameFor(shown);
    const handle = await listHive(deps, secretKey, row.hubs, { handleName, name: shown });
    await owned.put({ ...row, handle });
    await deps.recordOwned?.(row.owner, { ...row, handle });
  }

  const hiveOp = (op: AnyHiveOp): Op => op as Op;
  const membership = (at: HiveAddress, member: PseudonymId, action: 'join' | 'leave') =>
    hiveOp({ type: 'hive_member', hive: at.hive, member, action });

  return {
    createHive: (owner, hive) =>
      asResult(async () => {
        const hubs = hive.hubs?.length ? [...hive.hubs] : [...(await keys.getHubs(owner))];
        const key = newHiveKey(await keys.getSecretKey(owner), deps.random);
        // Checked before anything leaves the device: a bad name is refused with nothing made.
        const charter = buildHiveSettings({
          hive: key.hive,
          ts: now(),
          owner,
          nonce: key.nonce,
          name: hive.name,
          membership: hive.membership,
          listed: hive.listed ?? false,
          ...(hive.description !== undefined && { description: hive.description }),
          ...(hive.rules !== undefined && { rules: hive.rules }),
        });
        // A listed hive claims its handle first: a name taken is refused before the hive exists.
        const handle = hive.listed
          ? await claimHiveHandle(deps, key.secretKey, hubs[0]!, hive.handle ?? handleNameFor(hive.name))
          : undefined;
        const row = { hive: key.hive, owner, nonce: key.nonce, hubs, createdAt: now(), ...(handle && { handle }) };
        await owned.put(row);
        await deps.recordOwned?.(owner, { ...row, name: hive.name });
        await ownerAct(key.hive, [hiveOp({ type: 'hive', object: charter.id })], [charter]);
        await openBoard(key.hive);
        await remember(owner, { hive: key.hive, hubs }, { name: hive.name });
        if (handle) {
          // Listed only once its charter is on its hubs: whoever finds the listing can open the hive.
          await deps.pushHive(key.hive);
          const { name, description } = hive;
          await putHiveListing(deps, key.secretKey, hubs, {
            handle,
            name,
            ...(description !== undefined && { description }),
          });
        }
        return { hive: key.hive, hubs };
      }),
    listListedHives: (pseudonym) =>
      asResult(async () => {
        const [home] = await keys.getHubs(pseudonym);
        return home ? listedHives(deps, home, pseudonym) : [];
      }),
    listHives: async (pseudonym) => {
      const rows = await known.list(pseudonym);
      const mine = new Set((await owned.list()).filter((o) => o.owner === pseudonym).map((o) => o.hive));
      return rows.map((r) => ({
        hive: r.hive,
        hubs: r.hubs,
        since: r.since,
        left: r.left === true,
        owned: mine.has(r.hive),
        ...(r.name !== undefined && { name: r.name }),
      }));
    },
    joinHive: (pseudonym, at) =>
      asResult(async () => {
        const acted = await act(pseudonym, at, [membership(at, pseudonym, 'join')]);
        await remember(pseudonym, at);
        return acted;
      }),
    leaveHive: (pseudonym, at) =>
      asResult(async () => {
        const acted = await act(pseudonym, at, [membership(at, pseudonym, 'leave')]);
        await remember(pseudonym, at, { left: true });
        return acted;
      }),
    postToHive: (pseudonym, at, post) =>
      asResult(() => {
        const object = buildHivePost({ hive: at.hive, author: pseudonym, ts: now(), ...defined(post) });
        return act(pseudonym, at, [hiveOp({ type: 'hive_post', object: object.id })], [object]);
      }),
    commentInHive: (pseudonym, at, comment) =>
      asResult(() => {
        const object = buildHiveComment({ hive: at.hive, author: pseudonym, ts: now(), ...defined(comment) });
        return act(pseudonym, at, [hiveOp({ type: 'hive_comment', object: object.id })], [object]);
      }),
    voteInHive: (pseudonym, at, target, value) => asResult(() => act(pseudonym, at, [{ type: 'vote', target, value }])),
    moderateHive: (pseudonym, at, decision) =>
      asResult(async () => {
        const hive = at.hive;
        const objects: Published[] = [];
        let op: AnyHiveOp;
        if (decision.kind === 'member')
          op = { type: 'hive_member', hive, member: decision.member, action: decision.action };
        else if (decision.kind === 'moderator')
          op = { type: 'hive_mod', hive, member: decision.member, action: decision.action };
        else if (decision.kind === 'remove')
          op = {
            type: 'hive_remove',
            hive,
            target: decision.target,
            ...(decision.reason && { reason: decision.reason }),
          };
        else {
          const settings = buildHiveSettings({ hive, ts: now(), ...decision.settings });
          objects.push(settings);
          op = { type: 'hive', object: settings.id };
        }
        const mine = await owned.find(hive);
        if (mine?.owner === pseudonym) {
          await openBoard(hive);
          const acted = await ownerAct(hive, [hiveOp(op)], objects);
          if (decision.kind === 'settings' && decision.settings.listed !== undefined)
            await relist(mine, decision.settings.listed, decision.settings.name);
          return acted;
        }
        return act(pseudonym, at, [hiveOp(op)], objects);
      }),
    readHive: (viewer, at) =>
      asResult(async () => {
        const { announcers, ...read } = await assembleHive({ ...deps, cache }, at.hive, at.hubs, viewer);
        deps.nameMet?.(viewer, peopleIn(read.state, announcers, at.hubs));
        // A known hive keeps its name as last read, for the list (only the viewer's own, never a stranger's).
        const row = (await known.list(viewer)).find((r) => r.hive === at.hive);
        if (row && read.state.exists && row.name !== read.state.settings.name)
          await known.put({ ...row, name: read.state.settings.name });
        return read;
      }),
  };
}

/**
 * The people a hive's page shows (members, authors, moderators in the log), newest submissions first, each with
 * the hubs its announcements named, then the hive's (where the owner's own feed lives when it made the hive there);
 * the hive's own key (the owner's decisions) is no person.
 */
function peopleIn(
  state: HiveState,
  announcers: ReadonlyMap<PseudonymId, readonly string[]>,
  hiveHubs: readonly string[],
): PersonMet[] {
  if (!state.exists) return [];
  const byNewest = [...state.posts, ...state.comments].sort((a, b) => b.stamp[0] - a.stamp[0]).map((s) => s.author);
  const ids = new Set([...byNewest, ...state.members.map((m) => m.id), ...state.log.map((l) => l.by)]);
  ids.delete(state.hive);
  return [...ids].map((id) => ({ id, hubs: [...(announcers.get(id) ?? []), ...hiveHubs] }));
}

/** The fields that hold a value: what comes through comlink may carry `undefined`, which has no canonical form. */
function defined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
