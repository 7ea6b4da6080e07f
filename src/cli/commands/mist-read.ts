/**
 * Reading mists (`mist list`, `mist read`): the held feeds through the merge
 * model (read/mists.ts), one's own secret mists with the keys the private
 * state keeps, a secret mist of anyone's from its link (read/mist-link.ts),
 * and each file fetched from its author's hubs and checked before it is shown.
 */
import { linkContentKey, parseLinkFragment } from '../../protocol/audience.ts';
import type { ObjectId, PseudonymId } from '../../protocol/ids.ts';
import { mistIdOfVersion } from '../../protocol/mists.ts';
import { symbolAnchors } from '../../protocol/mist-types.ts';
import { mistLinksOf } from '../../../workers/private/links.ts';
import type { Answer } from '../answer.ts';
import { PrivateState } from '../home/private-state.ts';
import { readFeeds } from '../read/feeds.ts';
import { isMistLink, openMistLink, parseMistLink } from '../read/mist-link.ts';
import { type HeldMist, type MistView, getMist, heldMists, mistFile } from '../read/mists.ts';
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

/** The hubs to ask for a feed's blobs: one's own for one's own, else where it is followed and says it lives. */
async function hubsOf(context: CommandContext, mist: MistView): Promise<string[]> {
  const me = actingAs(context);
  if (mist.author === me.id) return [...me.hubs];
  const { store } = context.device;
  const follows = (await store.listFollowHints(mist.author)).flatMap((f) => f.hubs);
  const profile = await store.findProfileField(mist.author, 'hubs');
  return [...new Set([...(Array.isArray(profile) ? (profile as string[]) : []), ...follows, ...me.hubs])];
}

export async function fileOf(context: CommandContext, mist: HeldMist, version = mist.versions.at(-1)!.value) {
  const { device } = context;
  const fetchBlob = (hub: string, id: ObjectId) => device.deps.hub(hub).getBlob(id);
  return mistFile(device.store, fetchBlob, version, await hubsOf(context, mist.view), mist.contentKey);
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
function readAnswer(view: MistView, history: readonly object[], bytes: Uint8Array, raw: boolean | undefined): Answer {
  const text = textOf(bytes);
  const anchors = symbolAnchors(view.name, bytes);
  const json = { ...view, text, anchors, history };
  // The file byte for byte, for a pipe or a file (`> hello.py`); words for a person are the default.
  if (raw) return { json, text: '', bytes };
  return { json, text: mistWords(view, text, anchors, Date.now()) };
}

/** Mist ID (or AUTHOR/ID) as the held feeds show it, or a secret mist from its link (nothing stored). */
export async function readMist(context: CommandContext, ref: string, options: { raw?: boolean }): Promise<Answer> {
  if (isMistLink(ref)) return readMistLink(context, ref, options);
  const { feeds } = await ownAndFollowed(context, true);
  const mist = await getMist(context.device.store, feeds, ref, ownKeys(context));
  const history = mist.versions.map((v) => ({ object: v.object, ts: v.value.ts, size: v.value.size }));
  return readAnswer(mist.view, history, await fileOf(context, mist), options.raw);
}

/** A secret mist from its link: the version its commit published, its file from the same hub, both checked. */
async function readMistLink(context: CommandContext, ref: string, options: { raw?: boolean }): Promise<Answer> {
  const link = parseMistLink(ref);
  const hub = context.device.deps.hub(link.hub);
  const opened = await openMistLink((id) => hub.getBlob(id as ObjectId), context.device.deps.verify, link);
  const { version, contentKey } = opened;
  const bytes = await mistFile(context.device.store, (_, id) => hub.getBlob(id), version, [link.hub], contentKey);
  const view: MistView = {
    id: mistIdOfVersion(version),
    author: version.author,
    handle: null,
    name: version.name,
    title: version.title ?? null,
    description: version.description ?? null,
    tags: version.tags ?? [],
    artifact: version.artifact,
    language: version.language ?? null,
    size: version.size,
    content: version.content,
    created: version.ts,
    updated: version.ts,
    versions: 1,
    forkOf: version.fork_of ?? null,
    agent: null,
    secret: true,
  };
  return readAnswer(view, [{ object: opened.object, ts: version.ts, size: version.size }], bytes, options.raw);
}
