/**
 * The worker's facade: createCoreApi wires the db, the hubs (over the given
 * fetch), the keyring, local commits, ingest, the outbox engine and the live
 * streams, and returns the CoreApi the UI calls through comlink. Each method
 * delegates; expected failures come back as `{ ok: false }` values.
 */
import type { SignedCommit } from '../../src/protocol/commits.ts';
import type { PseudonymId } from '../../src/protocol/ids.ts';
import type { Change, CoreApi } from './api-types.ts';
import type { CoreDeps } from './core-deps.ts';
import { createChangeEmitter } from './changes.ts';
import { IdbCoreStore } from '../store/idb-core-store.ts';
import { asResult } from '../errors.ts';
import { Feeds } from '../feed/feeds.ts';
import { claimHandle } from '../feed/handles.ts';
import { hubClients } from '../net/hub-aliases.ts';
import { KeyedLock } from '../../src/runtime/keyed-lock.ts';
import { Leadership } from '../tabs/leader.ts';
import { TabChannel } from '../tabs/tab-channel.ts';
import { TabLock } from '../tabs/tab-lock.ts';
import { createKeysApi } from './keys-api.ts';
import { publishRetirement } from '../feed/retire-everywhere.ts';
import { createFeedFileApi } from './feed-file-api.ts';
import { createDirectory } from './directory-api.ts';
import { createMoveApi } from './move-api.ts';
import {
  createPseudonym,
  getPseudonym,
  keyringOwedPointers,
  keyringSource,
  listPseudonyms,
  setOtherHubs,
  summaryOf,
} from '../keys/keyring.ts';
import { LiveFeeds } from '../sync/live.ts';
import { followHandle } from '../feed/follow.ts';
import { createMessagingApi, noticeCommit } from './messaging-api.ts';
import { Messaging } from '../inbox/messaging.ts';
import type { PersonMet } from '../inbox/people.ts';
import { adoptOwnedHives } from '../hives/adopt-owned.ts';
import type { OwnedHiveEntry } from '../private/owned-hives-doc.ts';
import { hidingMuted, listNotifications } from '../inbox/notifications.ts';
import { createSocialApi } from './social-api.ts';
import { createMistsApi } from './mists-api.ts';
import { createHivesApi } from './hives-api.ts';
import { hiveKeySource } from '../hives/owned-hives.ts';
import { idbKnownHives, idbOwnedHives } from '../hives/idb-hives.ts';
import { HandoffKeeper, buildHandoff } from '../sync/handoff.ts';
import { openHandoffs } from '../sync/handoff-db.ts';
import { SyncEngine } from '../sync/sync.ts';
import { listTimeline } from '../read/timeline.ts';
import { PrivateService } from './private-api.ts';
import { filterThread, filterTimeline } from '../private/filter.ts';
import { searchWithMessages } from './message-search.ts';

/** The CoreApi plus teardown (for tests and worker shutdown). */
export type { CoreDeps };

export interface CoreService extends CoreApi {
  close(): Promise<void>;
}

export function createCoreApi(deps: CoreDeps): CoreService {
  const { db, now, verify } = deps;
  const changes = createChangeEmitter();
  const tabs = new TabChannel(deps.tabChannel);
  // Every notice goes to this tab's listeners and to the other tabs' workers (which share the database).
  const emit = (change: Change) => {
    changes.emit(change);
    tabs.post({ type: 'change', change });
  };
  const locks = deps.tabLocks ? new TabLock(deps.tabLocks) : new KeyedLock();
  /** The pseudonym this tab shows (its streams run only while this tab leads it). */
  let shown: PseudonymId | undefined;
  /** Pseudonyms whose outbox pass was asked for by another tab: a refusal is not echoed back. */
  const asked = new Set<PseudonymId>();
  // Each pseudonym's requests go to its own alias of a hub that has them (net/hub-aliases.ts).
  const hub = hubClients(deps.fetch, deps.random);
  // The sync engine, ingest and replication reach storage and keys through these (core-store.ts, key-source.ts).
  const storage = { db, store: new IdbCoreStore(db), keys: keyringSource(db), owed: keyringOwedPointers(db) };
  const base = { ...storage, now, verify, hub, locks, emit };
  const leadership = new Leadership(deps.tabLocks, (pseudonym) => {
    if (shown === pseudonym)
      live.setActive(pseudonym).catch((error: unknown) => console.error('murmur: could not start live updates', error));
    void engine.request(pseudonym);
  });
  const gate = async (pseudonym: PseudonymId, pass: () => Promise<void>) => {
    if (await leadership.runIfFree(pseudonym, pass)) return true;
    if (!asked.has(pseudonym)) tabs.post({ type: 'outbox', pseudonym }); // the tab holding the lock runs it
    return false;
  };
  const priv = new PrivateService({
    ...base,
    random: deps.random,
    online: deps.online ?? true,
    ...deps.privateSync,
    // Hives made on another device of the pseudonym (their nonces travel in its private state).
    adoptHives: (pseudonym, entries) =>
      adoptOwnedHives({ owned, known, keys: base.keys, now, syncHive: pushHive }, pseudonym, entries),
    async blocksChanged(pseudonym) {
      if (live.isActive(pseudonym)) await live.restart();
    },
  });
  const blocked = (pseudonym: PseudonymId) => priv.blocked(pseudonym);
  const handoff =
    deps.handoffDb === undefined
      ? undefined
      : new HandoffKeeper({
          handoffs: openHandoffs(deps.handoffDb),
          build: (pseudonym) => buildHandoff({ db, now }, pseudonym),
        });
  const engine = new SyncEngine(
    {
      ...base,
      gate,
      retry: deps.retry ?? { baseMs: 1000, maxMs: 60_000 },
      ...(handoff && { handoff }),
      // Follows from another device, as after a follow here: the streams, reopened, open with every head.
      followsPulled: (pseudonym) =>
        void (async () => {
          await priv.followsChanged(pseudonym);
          if (live.isActive(pseudonym)) await live.restart();
        })().catch((error: unknown) => console.error('murmur: could not stream the follows just pulled', error)),
    },
    deps.online ?? true,
  );
  /** A local commit of `pseudonym` was stored: its outbox runs now. */
  const pushSoon = (pseudonym: PseudonymId) => {
    engine.board.touch(pseudonym);
    void engine.request(pseudonym);
  };
  // A followed feed moved hubs (its signed profile says so): stream it from its new home.
  const restartLive = () => live.restart().catch((e: unknown) => console.error('murmur: could not restart live', e));
  const feeds = new Feeds({ ...base, board: engine.board, blocked, hubsMoved: () => void restartLive() });
  const live = new LiveFeeds(
    {
      store: base.store,
      keys: base.keys,
      hub,
      feeds,
      fetch: deps.fetch,
      blocked,
      ownHeadChanged: (p) => void engine.request(p),
      homeConnected: (p) => void engine.request(p),
      ...(deps.streamBackoff && { backoff: deps.streamBackoff }),
    },
    deps.online ?? true,
  );
  const local = { db, now, locks };
  const messaging = new Messaging(
    {
      ...base,
      random: deps.random,
      pollMs: deps.inboxPollMs ?? 15_000,
      retry: deps.retry ?? { baseMs: 1000, maxMs: 60_000 },
      blocked,
      inboxAdmits: (p) => priv.inboxAdmits(p),
      // A notice about one's own post made elsewhere: the sync run merges what the hub holds of one's feed.
      catchUpOwn: (p) => engine.request(p),
    },
    deps.online ?? true,
  );

  tabs.onMessage((message) => {
    if (message.type === 'change') {
      const { change } = message;
      // Another tab's worker stored private changes in the shared database: read them before the views ask.
      if (change.kind === 'private' && change.pseudonym) {
        // Views filtered by mutes ask again too: the other tab's 'timeline' notice may have come before this read.
        const pseudonym = change.pseudonym;
        void priv.otherTabChanged(pseudonym).then(
          () => {
            changes.emit(change);
            changes.emit({ kind: 'timeline', pseudonym });
          },
          (error: unknown) => console.error('murmur: could not read private changes of another tab', error),
        );
        return;
      }
      return changes.emit(change);
    }
    void messaging.deliver(message.pseudonym);
    asked.add(message.pseudonym);
    void engine.request(message.pseudonym).finally(() => asked.delete(message.pseudonym));
  });

  // On start: push whatever a closed tab or a crash left queued.
  db.getAllKeys('pseudonyms').then(
    (ids) =>
      ids.forEach((id) => {
        void engine.request(id);
        void messaging.deliver(id);
      }),
    (error: unknown) => console.error('murmur: could not read pseudonyms to sync at start', error),
  );

  const keys = createKeysApi({
    ...{ db, now, emit, random: deps.random },
    ...(deps.storage && { storage: deps.storage }),
    ...(deps.scrypt && { scrypt: deps.scrypt }),
    publishRetirement: (pseudonym) => publishRetirement(base, pseudonym),
    retired: async (pseudonym) => {
      priv.retired(pseudonym);
      leadership.release(pseudonym);
      if (live.isActive(pseudonym)) await live.setActive(undefined);
    },
  });

  const social = createSocialApi({
    ...local,
    ...{ hub, verify, store: base.store, blocked },
    settings: (p) => priv.api.getPrivateSettings(p),
    recordLink: (p, link) => priv.recordLink(p, link),
    committed(pseudonym, kinds = ['timeline']) {
      for (const kind of kinds) emit({ kind, pseudonym });
      if (kinds.includes('profile')) void priv.profileChanged(pseudonym);
      pushSoon(pseudonym);
    },
    async followsChanged(pseudonym) {
      await priv.followsChanged(pseudonym);
      if (live.isActive(pseudonym)) await live.restart();
    },
    noticed: (pseudonym, commit, post) => noticeCommit({ ...base, messaging }, pseudonym, commit, post),
  });
  const inbox = createMessagingApi({
    ...base,
    verify,
    emit,
    feeds,
    messaging,
    random: deps.random,
    committed(pseudonym) {
      emit({ kind: 'profile', pseudonym });
      pushSoon(pseudonym);
    },
    query: hidingMuted(
      deps.notificationFilter ? deps.notificationFilter(listNotifications) : listNotifications,
      (owner) => priv.hidden(owner),
    ),
    recordSent: (pseudonym, message) => priv.recordSent(pseudonym, message),
  });

  const listed = (p: PseudonymId) => directory.listSince(p, 0);
  const mists = createMistsApi({ ...base, random: deps.random, links: priv, pushSoon, listed });
  // A hive's own feed (its owner's decisions, signed by the hive key) is pushed by an engine of its own.
  const owned = idbOwnedHives(db);
  const hiveEngine = new SyncEngine(
    { ...base, keys: hiveKeySource(owned, base.keys), retry: deps.retry ?? { baseMs: 1000, maxMs: 60_000 } },
    deps.online ?? true,
  );
  const pushHive = (hive: PseudonymId) => hiveEngine.request(hive);
  const deliver = (owner: PseudonymId) => void messaging.deliver(owner);
  const known = idbKnownHives(db);
  const nameMet = (viewer: PseudonymId, met: readonly PersonMet[]) => void messaging.nameMet(viewer, met);
  const recordOwned = (owner: PseudonymId, entry: OwnedHiveEntry) => priv.recordOwnedHive(owner, entry);
  const hives = createHivesApi({
    ...base,
    ...{ owned, known, random: deps.random, pushSoon, pushHive, deliver, nameMet, recordOwned },
  });
  owned.list().then(
    (rows) => {
      for (const row of rows) void pushHive(row.hive);
    },
    (error: unknown) => console.error('murmur: could not read the hives to sync at start', error),
  );

  const feedFiles = createFeedFileApi({
    db,
    store: base.store,
    verify,
    now,
    random: deps.random,
    ...(deps.scrypt && { scrypt: deps.scrypt }),
    docs: priv.docs,
    emit,
    ...(deps.feedFileStageBytes !== undefined && { stageBytes: deps.feedFileStageBytes }),
    imported: pushSoon,
  });

  const pushHome = (pseudonym: PseudonymId) => engine.request(pseudonym);
  const move = createMoveApi({ ...base, board: engine.board, pushHome, homeMoved: restartLive });
  const fetchFeed = (author: PseudonymId, hubs: readonly string[], forPseudonym: PseudonymId) =>
    feeds.update(author, hubs, { forPseudonym });
  const directory = createDirectory({
    ...{ ...base, hidden: (p: PseudonymId) => priv.hidden(p), fetchFeed },
    settings: (p) => priv.api.getPrivateSettings(p),
    changed: (pseudonym) => emit({ kind: 'timeline', pseudonym }),
  });

  return {
    ...keys,
    ...feedFiles,
    ...move,
    ...social,
    ...mists,
    ...hives,
    ...directory.api,
    ...inbox,
    ...priv.api,
    async setLens(pseudonym, name, value) {
      const result = await priv.api.setLens(pseudonym, name, value);
      emit({ kind: 'timeline', pseudonym }); // a lens turned off takes its items out at once
      void directory.lenses.refresh(pseudonym);
      return result;
    },
    findThread: async (viewer, post) => {
      const view = await social.findThread(viewer, post);
      return view && filterThread(db, await priv.hidden(viewer), view);
    },
    listPseudonyms: () => listPseudonyms(db),
    setOtherHubs: (pseudonym, hubs) =>
      asResult(async () => {
        const before = (await getPseudonym(db, pseudonym)).hubs;
        const row = await setOtherHubs(db, pseudonym, hubs);
        for (const gone of before.filter((h) => !row.hubs.includes(h)))
          engine.board.setHubProblem(pseudonym, gone, undefined);
        emit({ kind: 'pseudonyms', pseudonym });
        void engine.request(pseudonym);
        return summaryOf(row);
      }),
    async createPseudonym(input) {
      const row = await createPseudonym(db, input, deps.random, now());
      emit({ kind: 'pseudonyms', pseudonym: row.id });
      return summaryOf(row);
    },
    claimHandle: (pseudonym, name) =>
      asResult(async () => {
        const claimed = await claimHandle(base, pseudonym, name);
        emit({ kind: 'pseudonyms', pseudonym });
        emit({ kind: 'timeline', pseudonym });
        return claimed;
      }),
    follow: (pseudonym, handle) =>
      asResult(async () => {
        const noticed = (commit: SignedCommit) => noticeCommit({ ...base, messaging }, pseudonym, commit);
        const target = await followHandle(
          { ...base, feeds, waitMs: deps.followWaitMs ?? 2000, noticed },
          pseudonym,
          handle,
        );
        emit({ kind: 'timeline', pseudonym });
        void engine.request(pseudonym);
        await priv.followsChanged(pseudonym);
        if (live.isActive(pseudonym)) await live.restart();
        return { target };
      }),
    listTimeline: async (pseudonym, page) =>
      directory.lenses.lensed(
        pseudonym,
        page,
        await filterTimeline(db, await priv.hidden(pseudonym), page, (p) => listTimeline(db, pseudonym, p)),
      ),
    search: async (viewer, query, page) =>
      searchWithMessages({ db, store: base.store }, viewer, query, page, now(), await priv.hidden(viewer)),
    getSyncStatus: (pseudonym) => engine.board.status(pseudonym),
    async setActive(pseudonym) {
      shown = pseudonym;
      messaging.setShown(pseudonym);
      leadership.releaseAllBut(pseudonym);
      if (pseudonym) leadership.claim(pseudonym);
      priv.setActive(pseudonym);
      // Streams only where this tab leads; a tab that starts leading later starts them then.
      await live.setActive(pseudonym && leadership.isLeader(pseudonym) ? pseudonym : undefined);
    },
    async setOnline(online) {
      priv.setOnline(online);
      await Promise.all([engine.setOnline(online), hiveEngine.setOnline(online)]);
      messaging.setOnline(online, await db.getAllKeys('pseudonyms'));
      await live.setPaused(!online);
    },
    async syncNow(pseudonym: PseudonymId) {
      const pull = engine.isOnline() && leadership.isLeader(pseudonym) && feeds.refresh(pseudonym);
      const inboxPull =
        engine.isOnline() &&
        messaging.pull(pseudonym).catch((error: unknown) => console.warn('murmur: could not read the inbox', error));
      await Promise.all([
        engine.request(pseudonym),
        pull,
        inboxPull,
        messaging.deliver(pseudonym),
        priv.request(pseudonym),
        engine.isOnline() && directory.lenses.refresh(pseudonym),
      ]);
    },
    // Already started: this is the whole core (the worker loads it as the second stage, staged-api.ts).
    async startBackground() {},
    subscribe: async (listener) => changes.subscribe(listener),
    async close() {
      handoff?.close();
      leadership.close();
      messaging.close();
      tabs.close();
      live.close();
      feeds.close();
      await priv.close();
      await Promise.all([engine.close(), hiveEngine.close()]);
      await locks.settled();
    },
  };
}
