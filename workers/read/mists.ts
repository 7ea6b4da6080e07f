/**
 * The mists the held feeds show (PROTOCOL.md, Mist objects): each feed's
 * mist versions as the merge model keeps them (feed-state.ts), grouped by
 * short id, less those an unmist names (src/protocol/mist-versions.ts, as
 * the embed page reads them). A version's object is read from the
 * store, where the walk checked it; a mist's file is read from the store or
 * fetched from its author's hubs and checked against its version before it
 * is used (checkMistFile). A secret mist is sealed under its link's key: it
 * is left out unless one of the content keys given opens it (its author's
 * device keeps them; a reader has the link's).
 */
import type { ObjectId, PseudonymId } from '../../src/protocol/ids.ts';
import { type ForkOf, type MistId, type MistObject, checkMistFile, mistIdOfVersion } from '../../src/protocol/mists.ts';
import { type MistVersion, mistObjectsOf, mistVersionsOf } from '../../src/protocol/mist-versions.ts';
import type { ArtifactType } from '../../src/protocol/mist-types.ts';
import { CoreError } from '../errors.ts';
import { ProtocolError } from '../../src/protocol/errors.ts';
import type { FeedStore } from '../store/core-store.ts';
import type { Verify } from '../../src/protocol/keys.ts';
import { type MistLink, type OpenedMistLink, openMistLink } from '../../src/protocol/mist-link.ts';
import type { HeldFeed, PostAgent } from './held-feed.ts';

export type { MistVersion };

/** A mist as `mist list --json` and `mist read --json` print it (docs/cli.md): a stable shape. */
export interface MistView {
  readonly id: MistId;
  readonly author: PseudonymId;
  readonly handle: string | null;
  /** The latest version's fields. */
  readonly name: string;
  readonly title: string | null;
  readonly description: string | null;
  readonly tags: readonly string[];
  readonly artifact: ArtifactType;
  readonly language: string | null;
  readonly size: number;
  /** The blob id (sha256) of the latest version's file. */
  readonly content: ObjectId;
  /** Milliseconds since the epoch: the first version's time and the latest's. */
  readonly created: number;
  readonly updated: number;
  readonly versions: number;
  readonly forkOf: ForkOf | null;
  /** Set when an agent made its first version for its author. */
  readonly agent: PostAgent | null;
  /** Sealed for whoever holds its link (shown only to its author, and to a reader from the link). */
  readonly secret: boolean;
}

export interface HeldMist {
  readonly view: MistView;
  /** Oldest first; the first is the mist's first version, the last the one shown. */
  readonly versions: readonly MistVersion[];
  /** A secret mist's content key: its versions and files open with it. */
  readonly contentKey?: Uint8Array;
}

/** Every mist of `feed` that stands (not unmisted), by id; secret ones only when one of `keys` opens them. */
export async function mistsOf(store: FeedStore, feed: HeldFeed, keys: readonly Uint8Array[] = []): Promise<HeldMist[]> {
  const wanted = mistObjectsOf(feed.state, keys.length > 0);
  if (wanted.length === 0) return [];
  const objects = await store.findBlobs(feed.author, wanted);
  return [...mistVersionsOf(feed.author, feed.state, objects, keys)].map(([id, { versions, contentKey }]) => ({
    view: viewOf(id, feed, versions, contentKey !== undefined),
    versions,
    ...(contentKey && { contentKey }),
  }));
}

/** What the latest version says, with what only the whole mist knows. */
export function mistView(
  latest: MistObject,
  whole: Pick<MistView, 'id' | 'handle' | 'created' | 'versions' | 'forkOf' | 'agent' | 'secret'>,
): MistView {
  return {
    ...whole,
    author: latest.author,
    name: latest.name,
    title: latest.title ?? null,
    description: latest.description ?? null,
    tags: latest.tags ?? [],
    artifact: latest.artifact,
    language: latest.language ?? null,
    size: latest.size,
    content: latest.content,
    updated: latest.ts,
  };
}

function viewOf(id: MistId, feed: HeldFeed, versions: readonly MistVersion[], secret: boolean): MistView {
  const first = versions[0]!;
  return mistView(versions.at(-1)!.value, {
    id,
    handle: feed.handle,
    created: first.value.ts,
    versions: versions.length,
    forkOf: first.value.fork_of ?? null,
    agent: feed.agents.get(first.stamp[1]) ?? null,
    secret,
  });
}

/** The held feeds' mists, the most recently updated first; a feed's secret ones when `keys` has theirs. */
export async function heldMists(
  store: FeedStore,
  feeds: readonly HeldFeed[],
  keys: ReadonlyMap<PseudonymId, readonly Uint8Array[]> = new Map(),
): Promise<HeldMist[]> {
  const all = (await Promise.all(feeds.map((f) => mistsOf(store, f, keys.get(f.author))))).flat();
  return all.sort((a, b) => b.view.updated - a.view.updated || (a.view.id < b.view.id ? -1 : 1));
}

/**
 * The mist `ref` names: its short id, or `AUTHOR/ID` (a pseudonym id or a handle before the slash).
 * @throws CoreError MalformedId, NotFound (no held feed shows it: not followed, deleted, or secret)
 */
export async function getMist(
  store: FeedStore,
  feeds: readonly HeldFeed[],
  ref: string,
  keys?: ReadonlyMap<PseudonymId, readonly Uint8Array[]>,
): Promise<HeldMist> {
  const [who, id] = ref.includes('/') ? (ref.split('/', 2) as [string, string]) : [undefined, ref];
  if (!/^[0-9a-f]{16}$/.test(id)) throw new CoreError('MalformedId', `${ref} is not a mist id (16 hex digits)`);
  const wanted = feeds.filter((f) => who === undefined || f.author === who || f.handle === who);
  const found = (await heldMists(store, wanted, keys)).find((m) => m.view.id === id);
  if (!found) throw new CoreError('NotFound', `no mist ${ref} in your feed or those you follow`, { field: 'mist' });
  return found;
}

/**
 * The file of `version` (a secret one opened with `contentKey`), from the store or else the first of `hubs` that
 * has it, checked against the version.
 * @throws CoreError NotFound (no hub had it); ProtocolError HashMismatch, Undecryptable (what came is not the file)
 */
export async function mistFile(
  store: FeedStore,
  fetchBlob: (hub: string, id: ObjectId) => Promise<Uint8Array>,
  version: MistObject,
  hubs: readonly string[],
  contentKey?: Uint8Array,
): Promise<Uint8Array> {
  const held = (await store.findBlobs(version.author, [version.content])).get(version.content);
  if (held) return checkMistFile(version, held, contentKey);
  let last: unknown;
  for (const hub of hubs) {
    try {
      return checkMistFile(version, await fetchBlob(hub, version.content), contentKey);
    } catch (error) {
      last = error;
    }
  }
  if (last instanceof Error && (last.name === 'HashMismatch' || last.name === 'Undecryptable')) throw last;
  throw new CoreError('NotFound', `no hub had the file of this mist (${version.content.slice(0, 12)}…)`);
}

/** One ancestor of a fork: the mist it names, and whether a held feed shows it (then its depth was checked). */
export interface ForkLink {
  readonly author: PseudonymId;
  readonly handle: string | null;
  readonly mist: MistId;
  readonly depth: number;
  readonly held: boolean;
}

/**
 * A fork's ancestors among `all`, nearest first, up to the first not held. Each held one must be exactly one
 * shallower than its child, so a fork cannot claim a small depth to pass the limit; the depth falls at each step,
 * so the walk ends.
 * @throws ProtocolError ForkTooDeep (a held ancestor's depth does not fit)
 */
export function forkChain(all: readonly HeldMist[], view: MistView): ForkLink[] {
  const chain: ForkLink[] = [];
  let named: ForkOf | null = view.forkOf;
  let child = view.id;
  while (named) {
    const { author, mist } = named;
    const parent = all.find((m) => m.view.id === mist && m.view.author === author);
    if (!parent) {
      chain.push({ author, handle: null, mist, depth: named.depth - 1, held: false });
      break;
    }
    const depth = parent.view.forkOf?.depth ?? 0;
    if (depth !== named.depth - 1)
      throw new ProtocolError('ForkTooDeep', `mist ${child} says it is ${named.depth} deep; its parent is ${depth}`);
    chain.push({ author, handle: parent.view.handle, mist, depth, held: true });
    named = parent.view.forkOf;
    child = mist;
  }
  return chain;
}

/** A fork of a mist, as `mist read` lists it. */
export interface ForkSeen {
  readonly id: MistId;
  readonly author: PseudonymId;
  readonly handle: string | null;
  readonly depth: number;
}

/** The forks of `view` among `all` (those this device has seen), the latest first. */
export function forksOf(all: readonly HeldMist[], view: MistView): ForkSeen[] {
  return all
    .filter((m) => m.view.forkOf?.mist === view.id && m.view.forkOf.author === view.author)
    .map((m) => ({ id: m.view.id, author: m.view.author, handle: m.view.handle, depth: m.view.forkOf!.depth }));
}

/**
 * A secret mist from its link, nothing stored: the version its commit published, as a view, and its file from
 * the link's hub, both checked (openMistLink, checkMistFile); the key is never sent anywhere.
 * @throws as openMistLink and mistFile
 */
export async function readMistLink(
  store: FeedStore,
  getBlob: (id: ObjectId) => Promise<Uint8Array>,
  verify: Verify,
  link: MistLink,
): Promise<{ readonly view: MistView; readonly opened: OpenedMistLink; readonly bytes: Uint8Array }> {
  const opened = await openMistLink((id) => getBlob(id as ObjectId), verify, link);
  const { version, contentKey } = opened;
  const bytes = await mistFile(store, (_, id) => getBlob(id), version, [link.hub], contentKey);
  const view = mistView(version, {
    id: mistIdOfVersion(version),
    handle: null,
    created: version.ts,
    versions: 1,
    forkOf: version.fork_of ?? null,
    agent: null,
    secret: true,
  });
  return { view, opened, bytes };
}
