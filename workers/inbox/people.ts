/**
 * Naming the people one pseudonym meets in its inbox (and in the hives it
 * reads: api/hives-api.ts). Whoever reacts to,
 * replies to, quotes, reposts or writes to a pseudonym is often someone no
 * local pseudonym follows, so this device holds no profile to name them by.
 * Their feed is fetched here with the verified ingest (feed/ingest.ts: the
 * head's signature and every commit are checked before anything is stored)
 * and kept like any held feed, so their published name shows in
 * notifications, Messages and conversations, and on their posts.
 *
 * Bounded: `decidePeopleFetches` takes at most a few people a run, never a
 * feed a local pseudonym follows (that follow keeps it fresh), and the same
 * person again only after REFRESH_MS (held) or RETRY_MS (no hub had it), as
 * the owner's contact row records (`fetchedAt`).
 *
 * Unlinkable: a run is for one pseudonym and reads only its own
 * notifications and messages; it asks only that pseudonym's hubs, the hubs
 * the person gave it (signed inside a DM, or where its handle resolved) and
 * the hubs the feeds it follows name for that person. Nothing another local
 * pseudonym knows ever decides where a request goes.
 */
import { hubOrigin, parseHandle } from '../../src/protocol/handle-names.ts';
import type { PseudonymId } from '../../src/protocol/ids.ts';
import type { KeyedLock } from '../../src/runtime/keyed-lock.ts';
import { errorName } from '../errors.ts';
import type { Verify } from '../../src/protocol/keys.ts';
import { ingestFeed } from '../feed/ingest.ts';
import type { HubClient } from '../net/hub-client.ts';
import type { KeySource } from '../keys/key-source.ts';
import type { CoreStore } from '../store/core-store.ts';
import { readHubs } from '../feed/catch-up-plan.ts';

export const PEOPLE_LIMITS = {
  /** People fetched in one run at most; the rest wait for the next run. */
  perRun: 8,
  /** The newest notifications whose senders are considered, and the most people considered in one run. */
  scan: 100,
  /** A held feed fetched for its name is asked again after a day (a rename reaches here within one). */
  refreshMs: 24 * 60 * 60 * 1000,
  /** A feed no hub had is asked again after an hour. */
  retryMs: 60 * 60 * 1000,
} as const;

/** What the decision knows of one person met in the inbox. */
export interface PersonState {
  readonly id: PseudonymId;
  /** A local pseudonym follows this feed (or is it): that follow's refresh keeps it, so it is never fetched here. */
  readonly kept: boolean;
  /** This device holds some of the feed. */
  readonly held: boolean;
  /** When the owner last fetched it (contact row), if ever. */
  readonly fetchedAt?: number;
}

/**
 * Whom to fetch now, in the order given (newest met first). Invariants: never a kept feed; never one person
 * twice; never one fetched less than `refreshMs` ago (held) or `retryMs` ago (not held); at most `perRun`.
 * A held feed never fetched by the owner (fetched by openConversation, or once followed) counts as fetched
 * long ago: it is refreshed once.
 */
export function decidePeopleFetches(
  people: readonly PersonState[],
  now: number,
  limits: Pick<typeof PEOPLE_LIMITS, 'perRun' | 'refreshMs' | 'retryMs'> = PEOPLE_LIMITS,
): PseudonymId[] {
  const chosen: PseudonymId[] = [];
  const seen = new Set<PseudonymId>();
  for (const p of people) {
    if (chosen.length >= limits.perRun) break;
    if (seen.has(p.id) || p.kept) continue;
    seen.add(p.id);
    const wait = p.held ? limits.refreshMs : limits.retryMs;
    if (p.fetchedAt !== undefined && now - p.fetchedAt < wait) continue;
    chosen.push(p.id);
  }
  return chosen;
}

export interface PeopleDeps {
  readonly store: CoreStore;
  readonly hub: (origin: string, as?: PseudonymId) => HubClient;
  readonly verify: Verify;
  readonly now: () => number;
  readonly keys: KeySource;
  /** The lock ingest takes per feed (`ingest:<author>`), so a follow's ingest and this one never overlap. */
  readonly locks: KeyedLock;
  /** Feeds the owner blocked: never fetched for it. */
  readonly blocked?: (owner: PseudonymId) => Promise<ReadonlySet<PseudonymId>>;
}

/** Someone met (in the inbox, in a hive), with the hubs they said their feed lives on, if they said. */
export interface PersonMet {
  readonly id: PseudonymId;
  readonly hubs?: readonly string[];
}

/**
 * Fetches the feeds of the people `owner` met in its inbox that this device cannot name yet (or not lately).
 * @returns the people whose feeds are held now (their names may have changed).
 * @throws CoreError Offline (what was fetched before stays, and is recorded)
 */
export async function fetchPeople(deps: PeopleDeps, owner: PseudonymId): Promise<PseudonymId[]> {
  const [notifications, dms] = await Promise.all([
    deps.store.listNotifications(owner, { limit: PEOPLE_LIMITS.scan }),
    deps.store.listDms(owner),
  ]);
  const newest = [...dms].sort((a, b) => b.ts - a.ts).map((d) => d.peer);
  const met = [...new Set([...newest, ...notifications.map((n) => n.from)])];
  return fetchToName(
    deps,
    owner,
    met.map((id) => ({ id })),
  );
}

/**
 * Fetches the feeds of the people `owner` met (newest first) that this device cannot name yet, or not lately
 * (decidePeopleFetches), asking first the hubs each said it lives on.
 * @returns the people whose feeds are held now. @throws CoreError Offline (what was fetched before stays)
 */
export async function fetchToName(
  deps: PeopleDeps,
  owner: PseudonymId,
  met: readonly PersonMet[],
): Promise<PseudonymId[]> {
  const { store, keys } = deps;
  const [local, blocked] = await Promise.all([keys.listPseudonyms(), deps.blocked?.(owner) ?? new Set<PseudonymId>()]);
  // The newest few only: a hive read every 20 s may show a thousand people, and each is three reads to decide.
  const said = new Map(met.slice(0, PEOPLE_LIMITS.scan).map((p) => [p.id, p.hubs ?? []]));
  const localSet = new Set(local);
  const people = await Promise.all(
    [...said.keys()]
      .filter((id) => id !== owner && !blocked.has(id))
      .map(async (id): Promise<PersonState> => {
        const [followers, tips, contact] = await Promise.all([
          store.listFollowers(id),
          store.findTips(id),
          store.findContact(owner, id),
        ]);
        const kept = localSet.has(id) || followers.some((f) => localSet.has(f));
        return {
          id,
          kept,
          held: tips !== undefined,
          ...(contact?.fetchedAt !== undefined && { fetchedAt: contact.fetchedAt }),
        };
      }),
  );
  const fetched: PseudonymId[] = [];
  for (const id of decidePeopleFetches(people, deps.now())) {
    const hubs = [...new Set([...said.get(id)!, ...(await hubsFor(deps, owner, id))])];
    try {
      await deps.locks.run(`ingest:${id}`, () => ingestFeed(deps, id, { hubs, as: owner }));
    } catch (error) {
      // Offline: nothing was learned about this person, so it is not recorded, and the run stops.
      if (errorName(error) === 'Offline') throw error;
      console.warn(`murmur: could not fetch a feed to name its author (${errorName(error)})`, error);
    }
    await store.putContact({ owner, peer: id, fetchedAt: deps.now() });
    if (await store.findTips(id)) fetched.push(id);
  }
  return fetched;
}

/**
 * Where `owner` may ask for `peer`'s feed: the hubs its feed last signed (when held here), the hubs `peer` gave
 * `owner` (its contact row), the hubs the feeds `owner` follows name for `peer` (newest first), then `owner`'s own
 * hubs, which hold any feed on them.
 */
async function hubsFor(deps: PeopleDeps, owner: PseudonymId, peer: PseudonymId): Promise<string[]> {
  const { store, keys } = deps;
  const [signed, contact, hints, follows, own] = await Promise.all([
    store.findProfileField(peer, 'hubs'),
    store.findContact(owner, peer),
    store.listFollowHints(peer),
    store.listFollows(owner),
    keys.getHubs(owner),
  ]);
  const mine = new Set([owner, ...follows.map((f) => f.target)]);
  // The hubs its feed last signed first (a feed that moved: PROTOCOL.md, Moving hubs).
  const hubs: string[] = [...readHubs(signed, []), ...(contact?.hubs ?? [])];
  for (const f of hints.filter((h) => mine.has(h.pseudonym)).sort((a, b) => b.ts - a.ts)) {
    hubs.push(...f.hubs);
    if (f.handle) {
      try {
        hubs.push(hubOrigin(parseHandle(f.handle).host));
      } catch {
        // a follow hint is unverified text: a malformed one just gives no hub
      }
    }
  }
  hubs.push(...own);
  return [...new Set(hubs)];
}
