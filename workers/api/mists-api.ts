/**
 * Mists in the app (issue 20): sharing, updating, deleting and forking one's own, and reading those of the held
 * feeds, made and read by the same modules as `murmur mist` (feed/mist-versions.ts, read/mists.ts). A feed's
 * state is derived from its held commits, kept per feed until its tips move. Every file shown is checked
 * against its version first (checkMistFile); a secret mist's key lives in its author's private state, and a
 * reader's only in the link they opened.
 */
import { drawContentKey, linkContentKey, linkFragment, parseLinkFragment } from '../../src/protocol/audience.ts';
import type { ObjectId, PseudonymId } from '../../src/protocol/ids.ts';
import { hashBytes } from '../../src/protocol/ids.ts';
import type { Verify } from '../../src/protocol/keys.ts';
import { mistLinkOf } from '../../src/protocol/mist-link.ts';
import { type MistId, type MistObject, isMistId, mistIdOf } from '../../src/protocol/mists.ts';
import { symbolAnchors } from '../../src/protocol/mist-types.ts';
import { CoreError, asResult } from '../errors.ts';
import type { LocalDeps } from '../feed/local-commits.ts';
import { ownCommitDeps } from '../feed/local-commits.ts';
import {
  checkedFile,
  firstVersion,
  forkVersion,
  nextVersion,
  publishMist,
  publishUnmist,
  storedFile,
} from '../feed/mist-versions.ts';
import { type Random, getPseudonym, summaryOf } from '../keys/keyring.ts';
import type { HubClient } from '../net/hub-client.ts';
import type { LinkMistKey } from '../private/links.ts';
import { type HeldFeed, listReadFeeds, readFeed } from '../read/held-feed.ts';
import { type HeldMist, forkChain, forksOf, heldMists, mistFile, readMistLink } from '../read/mists.ts';
import type { CoreStore } from '../store/core-store.ts';
import type { Change } from './api-types.ts';
import type { MistDetail, MistsApi, PublishedMistResult } from './mists-types.ts';

export interface MistsApiDeps extends LocalDeps {
  readonly store: CoreStore;
  readonly hub: (origin: string, as?: PseudonymId) => HubClient;
  readonly verify: Verify;
  readonly random: Random;
  /** Secret mists' links in each pseudonym's private state (private-api.ts). */
  readonly links: {
    recordMistLink(pseudonym: PseudonymId, link: LinkMistKey): Promise<void>;
    mistLinks(pseudonym: PseudonymId): Promise<LinkMistKey[]>;
  };
  readonly emit: (change: Change) => void;
  /** A local commit of `pseudonym` was stored: its outbox runs now. */
  readonly pushSoon: (pseudonym: PseudonymId) => void;
  /** Those listed in the pseudonym's home hub directory, their feeds fetched (directory-api.ts listSince). */
  readonly listed: (pseudonym: PseudonymId) => Promise<readonly { id: PseudonymId; handle: string }[]>;
}

/** The file as text, or null when it is not UTF-8. */
function textOf(bytes: Uint8Array): string | null {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

export function createMistsApi(deps: MistsApiDeps): MistsApi {
  const { store } = deps;
  const own = ownCommitDeps(deps);
  // Each feed's state as last read, by its tips and handle: reading a long feed again only when it moved.
  const memo = new Map<PseudonymId, { readonly key: string; readonly feed: HeldFeed }>();

  const me = async (pseudonym: PseudonymId) => summaryOf(await getPseudonym(deps.db, pseudonym));

  /** One feed's state, read again only when its tips (or the handle it is known by) moved. */
  async function feedOf(f: { readonly author: PseudonymId; readonly handle: string | null }): Promise<HeldFeed> {
    const key = `${f.handle}|${((await store.findTips(f.author))?.heads ?? []).join(',')}`;
    const kept = memo.get(f.author);
    if (kept?.key === key) return kept.feed;
    const feed = await readFeed(store, f);
    memo.set(f.author, { key, feed });
    return feed;
  }

  async function feedsOf(viewer: PseudonymId, scope: 'mine' | 'following' | 'explore'): Promise<HeldFeed[]> {
    if (scope === 'explore') {
      const people = await deps.listed(viewer);
      return Promise.all(people.map((p) => feedOf({ author: p.id, handle: p.handle })));
    }
    const read = await listReadFeeds(store, await me(viewer));
    return Promise.all((scope === 'mine' ? read.filter((f) => f.author === viewer) : read).map(feedOf));
  }

  /**
   * The feeds a mist of `author` is read from: the viewer's own and those they follow, and `author`'s as held
   * when not followed (a feed fetched for Explore or a topic page).
   */
  async function feedsWith(viewer: PseudonymId, author: PseudonymId): Promise<HeldFeed[]> {
    const feeds = await feedsOf(viewer, 'following');
    return feeds.some((f) => f.author === author) ? feeds : [...feeds, await feedOf({ author, handle: null })];
  }

  /** The content keys of the viewer's own secret mists, and their links by mist. */
  async function ownSecrets(viewer: PseudonymId) {
    const links = await deps.links.mistLinks(viewer);
    const keys = links.map((l) => linkContentKey(parseLinkFragment(l.key)));
    return { keys: new Map([[viewer, keys]]), links: new Map(links.map((l) => [l.mist, l])) };
  }

  /** Where to ask for `author`'s blobs: their own hubs, where followed feeds say they live, then the viewer's. */
  async function hubsOf(viewer: PseudonymId, author: PseudonymId): Promise<string[]> {
    const mine = (await me(viewer)).hubs;
    if (author === viewer) return [...mine];
    const follows = (await store.listFollowHints(author)).flatMap((f) => f.hubs);
    const profile = await store.findProfileField(author, 'hubs');
    return [...new Set([...(Array.isArray(profile) ? (profile as string[]) : []), ...follows, ...mine])];
  }

  async function fileOf(viewer: PseudonymId, mist: HeldMist, version: MistObject) {
    const fetchBlob = (hub: string, id: ObjectId) => deps.hub(hub, viewer).getBlob(id);
    return mistFile(store, fetchBlob, version, await hubsOf(viewer, mist.view.author), mist.contentKey);
  }

  async function detailOf(viewer: PseudonymId, mist: HeldMist, all: HeldMist[], index: number, link?: string) {
    const version = mist.versions[index]!.value;
    const bytes = await fileOf(viewer, mist, version);
    return {
      view: mist.view,
      shown: index,
      history: mist.versions.map((v) => ({ object: v.object, ts: v.value.ts, name: v.value.name, size: v.value.size })),
      name: version.name,
      artifact: version.artifact,
      language: version.language ?? null,
      bytes,
      text: textOf(bytes),
      anchors: symbolAnchors(version.name, bytes),
      forkChain: forkChain(all, mist.view),
      forks: forksOf(all, mist.view),
      mine: mist.view.author === viewer,
      ...(link && { link }),
    } satisfies MistDetail;
  }

  async function ownMist(pseudonym: PseudonymId, id: MistId) {
    const { keys, links } = await ownSecrets(pseudonym);
    const mist = (await heldMists(store, await feedsOf(pseudonym, 'mine'), keys)).find((m) => m.view.id === id);
    if (!mist) throw new CoreError('NotFound', `you have no mist ${id}`, { field: 'mist' });
    return { mist, link: links.get(id) };
  }

  const done = <T>(pseudonym: PseudonymId, value: T) => {
    deps.emit({ kind: 'timeline', pseudonym });
    deps.pushSoon(pseudonym);
    return value;
  };

  return {
    createMist: (pseudonym, input) =>
      asResult(async (): Promise<PublishedMistResult> => {
        const summary = await me(pseudonym);
        const file = checkedFile({ name: input.name, bytes: input.bytes });
        const drawn = input.secret
          ? drawContentKey({ kind: 'link' }, (n) => deps.random(new Uint8Array(n)))
          : undefined;
        const stored = storedFile(file.bytes, drawn?.contentKey);
        const content = hashBytes(stored);
        const id = mistIdOf(pseudonym, content);
        const [feed] = await feedsOf(pseudonym, 'mine');
        if (feed?.state.unmisted.has(id))
          throw new CoreError('Forbidden', `you shared ${file.name} before and deleted it; change it to share it`, {
            field: 'file',
          });
        if ((await heldMists(store, feed ? [feed] : [])).some((m) => m.view.id === id))
          return { id, author: pseudonym, existing: true };
        const version = firstVersion(pseudonym, file, content, input, deps.now());
        const published = await publishMist(own, version, stored, drawn?.contentKey);
        if (!drawn) return done(pseudonym, { id, author: pseudonym, commitId: published.commit.id, existing: false });
        const key = linkFragment(drawn.linkSecret!);
        await deps.links.recordMistLink(pseudonym, { mist: id, commit: published.commit.id, key });
        const link = summary.hubs[0] ? mistLinkOf(summary.hubs[0], published.commit.id, key) : undefined;
        return done(pseudonym, { id, author: pseudonym, commitId: published.commit.id, existing: false, link });
      }),
    updateMist: (pseudonym, id, change) =>
      asResult(async (): Promise<PublishedMistResult> => {
        const { mist, link } = await ownMist(pseudonym, id);
        const latest = mist.versions.at(-1)!.value;
        const file = change.file && checkedFile({ name: change.file.name ?? latest.name, bytes: change.file.bytes });
        const stored = file && storedFile(file.bytes, mist.contentKey);
        const version = nextVersion(mist, file, stored && hashBytes(stored), change, deps.now());
        const published = await publishMist(own, version, stored, mist.contentKey);
        const hub = (await me(pseudonym)).hubs[0];
        // A secret mist's link names the commit of a version it opens: the new one's, with the same key.
        const newLink = link && hub ? mistLinkOf(hub, published.commit.id, link.key) : undefined;
        if (link) await deps.links.recordMistLink(pseudonym, { ...link, commit: published.commit.id });
        return done(pseudonym, {
          id,
          author: pseudonym,
          commitId: published.commit.id,
          existing: false,
          ...(newLink && { link: newLink }),
        });
      }),
    deleteMist: (pseudonym, id) =>
      asResult(async () => {
        await ownMist(pseudonym, id);
        return done(pseudonym, { commitId: (await publishUnmist(own, pseudonym, id)).id });
      }),
    forkMist: (pseudonym, author, id) =>
      asResult(async (): Promise<PublishedMistResult> => {
        const feeds = await feedsWith(pseudonym, author);
        const parent = (await heldMists(store, feeds)).find((m) => m.view.id === id && m.view.author === author);
        if (!parent) throw new CoreError('NotFound', `no mist ${id} of that author on this device`, { field: 'mist' });
        const version = forkVersion(pseudonym, parent, deps.now());
        const bytes = await fileOf(pseudonym, parent, parent.versions.at(-1)!.value);
        const forkId = mistIdOf(pseudonym, version.content);
        const mine = feeds.filter((f) => f.author === pseudonym);
        if ((await heldMists(store, mine)).some((m) => m.view.id === forkId))
          return { id: forkId, author: pseudonym, existing: true };
        const published = await publishMist(own, version, bytes);
        return done(pseudonym, { id: forkId, author: pseudonym, commitId: published.commit.id, existing: false });
      }),
    listMists: async (viewer, query) => {
      const keys = query.scope === 'mine' ? (await ownSecrets(viewer)).keys : undefined;
      const all = await heldMists(store, await feedsOf(viewer, query.scope), keys);
      return all.map((m) => m.view).filter((v) => query.type === undefined || v.artifact === query.type);
    },
    getMist: (viewer, author, id, version) =>
      asResult(async () => {
        if (!isMistId(id)) throw new CoreError('MalformedId', `${id} is not a mist id (16 hex digits)`);
        const { keys, links } = await ownSecrets(viewer);
        const all = await heldMists(store, await feedsWith(viewer, author), keys);
        const mist = all.find((m) => m.view.id === id && m.view.author === author);
        if (!mist)
          throw new CoreError(
            'NotFound',
            'this mist is not on this device: not in your feed, those you follow or those you explored',
            { field: 'mist' },
          );
        const index = version === undefined ? mist.versions.length - 1 : version;
        if (!Number.isInteger(index) || index < 0 || index >= mist.versions.length)
          throw new CoreError('NotFound', `this mist has no version ${index + 1}`, { field: 'version' });
        const own = links.get(id);
        const hub = (await me(viewer)).hubs[0];
        const link = own && hub ? mistLinkOf(hub, own.commit, own.key) : undefined;
        return detailOf(viewer, mist, all, index, link);
      }),
    openMistLink: (link) =>
      asResult(async () => {
        const hub = deps.hub(link.hub);
        const { view, opened, bytes } = await readMistLink(store, (id) => hub.getBlob(id), deps.verify, link);
        const version = opened.version;
        return {
          view,
          shown: 0,
          history: [{ object: opened.object as ObjectId, ts: version.ts, name: version.name, size: version.size }],
          name: version.name,
          artifact: version.artifact,
          language: version.language ?? null,
          bytes,
          text: textOf(bytes),
          anchors: symbolAnchors(version.name, bytes),
          forkChain: [],
          forks: [],
          mine: false,
        } satisfies MistDetail;
      }),
  };
}
