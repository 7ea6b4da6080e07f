/**
 * Reading mists (`mist list`, `mist read`): the held feeds through the merge
 * model (read/mists.ts), one's own secret mists with the keys the private
 * state keeps, a secret mist of anyone's from its link (read/mist-link.ts),
 * and each file fetched from its author's hubs and checked before it is shown.
 */
import { linkContentKey, parseLinkFragment } from '../../protocol/audience.ts';
import type { ObjectId, PseudonymId } from '../../protocol/ids.ts';
import { MIST_LIMITS } from '../../protocol/mists.ts';
import { symbolAnchors } from '../../protocol/mist-types.ts';
import { mistLinksOf } from '../../../workers/private/links.ts';
import type { Answer } from '../answer.ts';
import { PrivateState } from '../home/private-state.ts';
import { readFeeds } from '../read/feeds.ts';
import { readFeed } from '../../../workers/read/held-feed.ts';
import { isMistLink, parseMistLink } from '../../protocol/mist-link.ts';
import {
  type ForkLink,
  type ForkSeen,
  type HeldMist,
  type MistView,
  forkChain,
  forksOf,
  getMist,
  heldMists,
  mistFile,
  mistsOf,
  readMistLink,
} from '../../../workers/read/mists.ts';
import { mistListWords, mistWords } from '../words/mist-words.ts';
import { type CommandContext, actingAs } from './context.ts';

/** The links of one's own secret mists (kept in the private state), by mist id. */
export function ownLinks(context: CommandContext) {
  const me = actingAs(context);
  return new Map(mistLinksOf(PrivateState.open(context.device.home, me.name).doc).map((l) => [l.mist, l]));
}

/** The content keys of one's own secret mists, for read/mists.ts. */
export function ownKeys(context: CommandContext): Map<PseudonymId, Uint8Array[]> {
  const keys = [...ownLinks(context).values()].map((l) => linkContentKey(parseLinkFragment(l.key)));
  return new Map([[actingAs(context).id, keys]]);
}

/** One's own feed and those one follows, as held; with `refresh`, the follows are fetched first. */
export async function ownAndFollowed(context: CommandContext, refresh = false) {
  const me = actingAs(context);
  if (refresh) await context.device.feeds.refresh(me.id); // never throws: an unreachable hub leaves what is held
  return { me, feeds: await readFeeds(context.device.store, me) };
}

/** Public mists of one's own and one's follows; with `mine`, one's own only, the secret ones too. */
export async function listMists(context: CommandContext, options: { type?: string; mine?: boolean }) {
  const { me, feeds } = await ownAndFollowed(context, true);
  const read = options.mine ? feeds.filter((f) => f.author === me.id) : feeds;
  const mists = (await heldMists(context.device.store, read, options.mine ? ownKeys(context) : undefined))
    .map((m) => m.view)
    .filter((v) => options.type === undefined || v.artifact === options.type);
  return { json: { mists }, text: mistListWords(mists, Date.now()) } satisfies Answer;
}

/** The hubs to ask for a feed: one's own for one's own, else where it is followed and says it lives, then one's own. */
async function hubsOf(context: CommandContext, author: PseudonymId): Promise<string[]> {
  const me = actingAs(context);
  if (author === me.id) return [...me.hubs];
  const { store } = context.device;
  const follows = (await store.listFollowHints(author)).flatMap((f) => f.hubs);
  const profile = await store.findProfileField(author, 'hubs');
  return [...new Set([...(Array.isArray(profile) ? (profile as string[]) : []), ...follows, ...me.hubs])];
}

export async function fileOf(context: CommandContext, mist: HeldMist, version = mist.versions.at(-1)!.value) {
  const { device } = context;
  const fetchBlob = (hub: string, id: ObjectId) => device.deps.hub(hub).getBlob(id);
  return mistFile(device.store, fetchBlob, version, await hubsOf(context, mist.view.author), mist.contentKey);
}

/** The file as text, or null when it is not UTF-8. */
function textOf(bytes: Uint8Array): string | null {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

/** `mist read`'s answer: the mist, its versions, its file as text (null when it is not UTF-8), or the file raw. */
function readAnswer(
  view: MistView,
  more: { history: readonly object[]; forkChain: readonly ForkLink[]; forks: readonly ForkSeen[] },
  bytes: Uint8Array,
  raw: boolean | undefined,
): Answer {
  const text = textOf(bytes);
  const anchors = symbolAnchors(view.name, bytes);
  const json = { ...view, text, anchors, ...more };
  // The file byte for byte, for a pipe or a file (`> hello.py`); words for a person are the default.
  if (raw) return { json, text: '', bytes };
  return { json, text: mistWords(view, text, anchors, Date.now(), more) };
}

/** Mist ID (or AUTHOR/ID) as the held feeds show it, or a secret mist from its link (nothing stored). */
export async function readMist(context: CommandContext, ref: string, options: { raw?: boolean }): Promise<Answer> {
  if (isMistLink(ref)) return readSecretMist(context, ref, options);
  const { feeds } = await ownAndFollowed(context, true);
  const keys = ownKeys(context);
  const mist = await getMist(context.device.store, feeds, ref, keys);
  const held = await heldMists(context.device.store, feeds, keys);
  const history = mist.versions.map((v) => ({ object: v.object, ts: v.value.ts, size: v.value.size }));
  const more = { history, forkChain: await chainOf(context, held, mist.view), forks: forksOf(held, mist.view) };
  return readAnswer(mist.view, more, await fileOf(context, mist), options.raw);
}

/**
 * A fork's ancestors, each checked one shallower than its child (forkChain). An ancestor in a feed not held is
 * fetched from its author's hubs first (at most the fork's depth of feeds); one that cannot be fetched is
 * listed as not held.
 * @throws ProtocolError ForkTooDeep
 */
async function chainOf(context: CommandContext, held: HeldMist[], view: MistView): Promise<ForkLink[]> {
  const { device } = context;
  const me = actingAs(context);
  let chain = forkChain(held, view);
  for (let tries = 0; tries < MIST_LIMITS.forkDepth && chain.at(-1)?.held === false; tries++) {
    const { author } = chain.at(-1)!;
    try {
      await device.feeds.update(author, await hubsOf(context, author), { forPseudonym: me.id });
    } catch {
      break; // unreachable, or no hub has it: what is held stays, and the link says so
    }
    held.push(...(await mistsOf(device.store, await readFeed(device.store, { author, handle: null }))));
    chain = forkChain(held, view);
  }
  return chain;
}

/** A secret mist from its link: the version its commit published, its file from the same hub, both checked. */
async function readSecretMist(context: CommandContext, ref: string, options: { raw?: boolean }): Promise<Answer> {
  const link = parseMistLink(ref);
  const hub = context.device.deps.hub(link.hub);
  const getBlob = (id: ObjectId) => hub.getBlob(id);
  const { view, opened, bytes } = await readMistLink(context.device.store, getBlob, context.device.deps.verify, link);
  const { version } = opened;
  const history = [{ object: opened.object, ts: version.ts, size: version.size }];
  return readAnswer(view, { history, forkChain: [], forks: [] }, bytes, options.raw);
}
