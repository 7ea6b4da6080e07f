/**
 * The private-state service of the worker: the PrivateApi methods over the
 * pseudonym's document (private/docs.ts), change notices, and when to sync
 * (private/sync.ts): soon after a local change, on becoming the pseudonym on
 * screen, on a timer while on screen, on coming online, and on syncNow.
 * Passes for one pseudonym never overlap; a request during a pass runs one
 * more pass after it.
 */
import * as Y from 'yjs';
import type { ObjectId, PseudonymId } from '../../src/protocol/ids.ts';
import type { Verify } from '../../src/protocol/keys.ts';
import type { Change } from './api-types.ts';
import { LoopPerKey } from '../../src/runtime/coalesce.ts';
import type { CoreDb } from '../store/db.ts';
import { IdbCoreStore } from '../store/idb-core-store.ts';
import { asResult, errorName } from '../errors.ts';
import type { HubClient } from '../net/hub-client.ts';
import { type Random, keyringSource } from '../keys/keyring.ts';
import {
  LIST_OF_MUTE,
  draftsOf,
  findDraft,
  removeDraft,
  setEntry,
  setInboxModeIn,
  setLensValue,
  setListedIn,
  setSearchableIn,
  settingsOf,
  writeDraft,
} from '../private/doc.ts';
import { PrivateDocs } from '../private/docs.ts';
import { type SentMessage, recordSent, sentOf } from '../private/sent.ts';
import {
  type LinkMistKey,
  type LinkPostKey,
  linksOf,
  mistLinksOf,
  recordLink,
  recordMistLink,
} from '../private/links.ts';
import { adoptLinks } from '../private/link-adopt.ts';
import { type OwnedHiveEntry, ownedHivesOf, recordOwnedHive } from '../private/owned-hives-doc.ts';
import { adoptSent } from '../inbox/direct-messages.ts';
import { type Hidden, hiddenOf } from '../private/filter.ts';
import { syncPrivateOnce } from '../private/sync.ts';
import { type WantedPolicy, ensureInboxPolicy, inboxAdmits, wantedPolicyOf } from '../inbox/inbox-policy-sync.ts';
import type { PrivateApi, PrivateSettings } from '../private/types.ts';
import { publishListing, wantedListingOf } from '../directory/listing-sync.ts';
import { describeFailure } from '../net/sync-status.ts';

export interface PrivateServiceDeps {
  readonly db: CoreDb;
  readonly hub: (origin: string, as?: PseudonymId) => HubClient;
  readonly now: () => number;
  readonly random: Random;
  readonly verify: Verify;
  readonly emit: (change: Change) => void;
  /** The set of blocked feeds changed: streams and refreshes follow it. */
  readonly blocksChanged: (pseudonym: PseudonymId) => Promise<void>;
  /** How often the pseudonym on screen reads its pointer (default 15 s). */
  readonly pollMs?: number;
  /** How long after a local change the push waits for more typing (default 2 s). */
  readonly pushDelayMs?: number;
  /**
   * Least time between passes started by local changes (default 10 s): each
   * push leaves two blobs on the hub for good, so steady typing must not
   * push every pause.
   */
  readonly pushGapMs?: number;
  readonly online?: boolean;
  /** Takes up here the hives the pseudonym made on its other devices (hives/adopt-owned.ts). @returns how many */
  readonly adoptHives?: (pseudonym: PseudonymId, entries: readonly OwnedHiveEntry[]) => Promise<number>;
}

export class PrivateService {
  readonly docs: PrivateDocs;
  readonly api: PrivateApi;
  readonly #seen = new Map<PseudonymId, Map<ObjectId, Uint8Array>>();
  readonly #passes = new LoopPerKey<PseudonymId>(() => this.#closed);
  readonly #pushTimers = new Map<PseudonymId, ReturnType<typeof setTimeout>>();
  readonly #problems = new Map<PseudonymId, string>();
  /** The inbox policy (as JSON) each pseudonym's hubs were found or made to hold this session. */
  readonly #policyHeld = new Map<PseudonymId, string>();
  /** The listing (as JSON) each pseudonym's hubs were given this session. */
  readonly #listingPut = new Map<PseudonymId, string>();
  #active: PseudonymId | undefined;
  #poll: ReturnType<typeof setInterval> | undefined;
  #online: boolean;
  #closed = false;

  readonly #deps: PrivateServiceDeps;
  constructor(deps: PrivateServiceDeps) {
    this.#deps = deps;
    this.docs = new PrivateDocs({ db: deps.db, random: deps.random });
    this.#online = deps.online ?? true;
    this.api = this.#buildApi();
  }

  /** What `pseudonym` hides (mutes and blocks), for the read views. */
  async hidden(pseudonym: PseudonymId): Promise<Hidden> {
    try {
      return hiddenOf(settingsOf(await this.docs.doc(pseudonym)));
    } catch (error) {
      // not on this device: nothing hidden
      if (errorName(error) === 'NotFound') return hiddenOf(settingsOf(new Y.Doc()));
      throw error;
    }
  }

  /** `pseudonym`'s public follows changed: a closed inbox's policy lists them, so its hubs hear of it now. */
  async followsChanged(pseudonym: PseudonymId): Promise<void> {
    if (settingsOf(await this.docs.doc(pseudonym)).inboxMode === 'closed') void this.request(pseudonym);
  }

  /** Whether `pseudonym`'s inbox takes a notice from a sender, as its settings say (the client's own check). */
  async inboxAdmits(pseudonym: PseudonymId): Promise<(from: PseudonymId) => boolean> {
    return inboxAdmits(pseudonym, await this.#wantedPolicy(pseudonym));
  }

  /**
   * Puts the inbox policy the settings want on the pseudonym's hubs; once they held it this session, a pass with
   * the same settings asks them nothing (each pass of the shown pseudonym would read every hub's policy again).
   */
  async #ensureInboxPolicy(pseudonym: PseudonymId, keys: ReturnType<typeof keyringSource>): Promise<void> {
    const wanted = await this.#wantedPolicy(pseudonym);
    const key = JSON.stringify(wanted);
    if (this.#policyHeld.get(pseudonym) === key) return;
    await ensureInboxPolicy({ ...this.#deps, keys }, pseudonym, wanted);
    this.#policyHeld.set(pseudonym, key);
  }

  /** `pseudonym`'s own profile changed: a listed one's card says it at the next pass, started now. */
  async profileChanged(pseudonym: PseudonymId): Promise<void> {
    if (settingsOf(await this.docs.doc(pseudonym)).listing === 'listed') void this.request(pseudonym);
  }

  /** Puts the listing the settings and profile want on the pseudonym's hubs, unless they were given it already. */
  async #ensureListing(pseudonym: PseudonymId, keys: ReturnType<typeof keyringSource>): Promise<void> {
    const settings = settingsOf(await this.docs.doc(pseudonym));
    const wanted = await wantedListingOf(settings, { store: new IdbCoreStore(this.#deps.db), keys }, pseudonym);
    const key = JSON.stringify(wanted);
    if (!wanted || this.#listingPut.get(pseudonym) === key) return;
    await publishListing({ ...this.#deps, keys }, pseudonym, wanted);
    this.#listingPut.set(pseudonym, key);
  }

  async #wantedPolicy(pseudonym: PseudonymId): Promise<WantedPolicy> {
    const settings = settingsOf(await this.docs.doc(pseudonym));
    return wantedPolicyOf(pseudonym, settings, new IdbCoreStore(this.#deps.db));
  }

  /** Feeds `pseudonym` blocked: never fetched. */
  async blocked(pseudonym: PseudonymId): Promise<ReadonlySet<PseudonymId>> {
    return (await this.hidden(pseudonym)).blocked;
  }

  setActive(pseudonym: PseudonymId | undefined): void {
    this.#active = pseudonym;
    if (this.#poll) clearInterval(this.#poll);
    this.#poll = undefined;
    if (!pseudonym) return;
    this.#poll = setInterval(() => void this.request(pseudonym), this.#deps.pollMs ?? 15_000);
    void this.request(pseudonym);
  }

  setOnline(online: boolean): void {
    this.#online = online;
    if (online && this.#active) void this.request(this.#active);
  }

  /** Another tab stored changes: read them, then tell this tab's views. */
  async otherTabChanged(pseudonym: PseudonymId): Promise<void> {
    await this.docs.reload(pseudonym);
  }

  retired(pseudonym: PseudonymId): void {
    if (this.#active === pseudonym) this.setActive(undefined);
    this.docs.forget(pseudonym);
    this.#seen.delete(pseudonym);
    this.#policyHeld.delete(pseudonym);
    this.#listingPut.delete(pseudonym);
  }

  /** One pass now (or one more after the pass in flight). Never throws: problems show in getPrivateSettings. */
  request(pseudonym: PseudonymId): Promise<void> {
    if (!this.#online || this.#closed) return Promise.resolve();
    return this.#passes.request(pseudonym, () => this.#pass(pseudonym));
  }

  async close(): Promise<void> {
    this.#closed = true;
    if (this.#poll) clearInterval(this.#poll);
    for (const timer of this.#pushTimers.values()) clearTimeout(timer);
    await this.#passes.settled();
  }

  readonly #lastPass = new Map<PseudonymId, number>();

  async #pass(pseudonym: PseudonymId): Promise<void> {
    this.#lastPass.set(pseudonym, this.#deps.now());
    let seen = this.#seen.get(pseudonym);
    if (!seen) {
      seen = new Map();
      this.#seen.set(pseudonym, seen);
    }
    try {
      const keys = keyringSource(this.#deps.db);
      const { changed } = await syncPrivateOnce({ ...this.#deps, keys, docs: this.docs }, pseudonym, seen);
      await this.#ensureInboxPolicy(pseudonym, keys);
      await this.#ensureListing(pseudonym, keys);
      this.#problems.delete(pseudonym);
      // Every pass, not only on a change: a link post's commit may reach this device after its key did.
      if ((await adoptLinks(this.#deps.db, pseudonym, linksOf(await this.docs.doc(pseudonym)))) > 0)
        this.#deps.emit({ kind: 'timeline', pseudonym });
      const owned = ownedHivesOf(await this.docs.doc(pseudonym));
      if (((await this.#deps.adoptHives?.(pseudonym, owned)) ?? 0) > 0) this.#deps.emit({ kind: 'private', pseudonym });
      if (changed) {
        this.#deps.emit({ kind: 'private', pseudonym });
        this.#deps.emit({ kind: 'timeline', pseudonym });
        if ((await adoptSent(new IdbCoreStore(this.#deps.db), pseudonym, sentOf(await this.docs.doc(pseudonym)))) > 0)
          this.#deps.emit({ kind: 'messages', pseudonym });
        await this.#deps.blocksChanged(pseudonym);
      }
    } catch (error) {
      if (
        errorName(error) === 'Offline' ||
        (errorName(error) === 'NotFound' && !(await this.#deps.db.getKey('pseudonyms', pseudonym)))
      )
        return;
      const words = `Private settings could not sync: ${describeFailure(error).message}`;
      if (this.#problems.get(pseudonym) !== words) {
        this.#problems.set(pseudonym, words);
        this.#deps.emit({ kind: 'private', pseudonym });
      }
    }
  }

  /** Keeps a message just sent in the private document, for this pseudonym's other devices. */
  async recordSent(pseudonym: PseudonymId, message: SentMessage): Promise<void> {
    await this.docs.change(pseudonym, (doc) => recordSent(doc, message));
    this.#changed(pseudonym, false);
  }

  /** Keeps a link post's key in the private document, so this pseudonym's other devices open it too. */
  async recordLink(pseudonym: PseudonymId, link: LinkPostKey): Promise<void> {
    await this.docs.change(pseudonym, (doc) => recordLink(doc, link));
    this.#changed(pseudonym, false);
  }

  /** Keeps a secret mist's link in the private document, so this pseudonym's other devices open it too. */
  async recordMistLink(pseudonym: PseudonymId, link: LinkMistKey): Promise<void> {
    await this.docs.change(pseudonym, (doc) => recordMistLink(doc, link));
    this.#changed(pseudonym, false);
  }

  /** Keeps a hive the pseudonym made (or its handle) in the private document, so its other devices own it too. */
  async recordOwnedHive(pseudonym: PseudonymId, entry: OwnedHiveEntry): Promise<void> {
    await this.docs.change(pseudonym, (doc) => recordOwnedHive(doc, entry));
    this.#changed(pseudonym, false);
  }

  /** The links of the pseudonym's secret mists, from any of its devices. */
  async mistLinks(pseudonym: PseudonymId): Promise<LinkMistKey[]> {
    return mistLinksOf(await this.docs.doc(pseudonym));
  }

  #changed(pseudonym: PseudonymId, timeline: boolean): void {
    this.#deps.emit({ kind: 'private', pseudonym });
    if (timeline) this.#deps.emit({ kind: 'timeline', pseudonym });
    clearTimeout(this.#pushTimers.get(pseudonym));
    this.#pushTimers.set(
      pseudonym,
      setTimeout(
        () => {
          this.#pushTimers.delete(pseudonym);
          void this.request(pseudonym);
        },
        Math.max(
          this.#deps.pushDelayMs ?? 2000,
          (this.#lastPass.get(pseudonym) ?? -Infinity) + (this.#deps.pushGapMs ?? 10_000) - this.#deps.now(),
        ),
      ),
    );
  }

  #settings(pseudonym: PseudonymId, doc: Parameters<typeof settingsOf>[0]): PrivateSettings {
    const problem = this.#problems.get(pseudonym);
    return { ...settingsOf(doc), ...(problem && { syncProblem: problem }) };
  }

  #buildApi(): PrivateApi {
    const { now } = this.#deps;
    const docs = this.docs;
    const edit = (pseudonym: PseudonymId, change: Parameters<PrivateDocs['change']>[1], timeline: boolean) =>
      asResult(async () => {
        const doc = await docs.doc(pseudonym);
        await docs.change(pseudonym, change);
        this.#changed(pseudonym, timeline);
        return this.#settings(pseudonym, doc);
      });
    return {
      listDrafts: async (pseudonym) => draftsOf(await docs.doc(pseudonym)),
      saveDraft: (pseudonym, draft) =>
        asResult(async () => {
          await docs.change(pseudonym, (doc) => writeDraft(doc, draft, now()));
          this.#changed(pseudonym, false);
          return findDraft(await docs.doc(pseudonym), draft.id)!;
        }),
      deleteDraft: (pseudonym, id) =>
        asResult(async () => {
          await docs.change(pseudonym, (doc) => removeDraft(doc, id));
          this.#changed(pseudonym, false);
          return null;
        }),
      getPrivateSettings: async (pseudonym) => this.#settings(pseudonym, await docs.doc(pseudonym)),
      setMute: (pseudonym, kind, value, muted) =>
        edit(pseudonym, (doc) => setEntry(doc, LIST_OF_MUTE[kind], value, muted, now()), true),
      setBlock: async (pseudonym, target, blocked) => {
        if (target === pseudonym) return { ok: false, error: 'InvalidField', message: 'You cannot block yourself' };
        const result = await edit(pseudonym, (doc) => setEntry(doc, 'blocked', target, blocked, now()), true);
        if (result.ok) await this.#deps.blocksChanged(pseudonym);
        return result;
      },
      setPrivateFollow: (pseudonym, target, following) =>
        edit(pseudonym, (doc) => setEntry(doc, 'privateFollows', target, following, now()), false),
      setInboxMode: (pseudonym, mode) => edit(pseudonym, (doc) => setInboxModeIn(doc, mode), false),
      setInboxAllow: (pseudonym, target, allowed) =>
        edit(pseudonym, (doc) => setEntry(doc, 'inboxAllow', target, allowed, now()), false),
      setFollowerApproved: async (pseudonym, target, approved) => {
        if (target === pseudonym)
          return { ok: false, error: 'InvalidField', message: 'You always read your own posts' };
        return edit(pseudonym, (doc) => setEntry(doc, 'approvedFollowers', target, approved, now()), false);
      },
      setDiscoverable: (pseudonym, discoverable) => edit(pseudonym, (doc) => setListedIn(doc, discoverable), false),
      setSearchable: (pseudonym, searchable) => edit(pseudonym, (doc) => setSearchableIn(doc, searchable), false),
      setLens: (pseudonym, name, value) => edit(pseudonym, (doc) => setLensValue(doc, name, value), false),
    };
  }
}
