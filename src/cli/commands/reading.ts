/**
 * Reading and keeping up: `timeline` (follows refreshed, then the store
 * read; `--follow` streams: live.ts), `thread`, `search` (what this home
 * holds, no network), `sync` (send what is queued, merge
 * what other devices sent, fetch the follows) and `status` (what this home
 * holds and owes, no network).
 */
import type { Answer } from '../answer.ts';
import { pushOwn } from '../device.ts';
import { EXIT } from '../errors.ts';
import { isObjectId } from '../../protocol/ids.ts';
import { CoreError, errorName } from '../../../workers/errors.ts';
import { PrivateState } from '../home/private-state.ts';
import { type SearchCursor, cursorText, searchPosts } from '../read/search.ts';
import { readThread } from '../read/thread.ts';
import { type TimelineQuery, openTimelineMemo, readTimeline } from '../read/timeline.ts';
import { postWords, stylesFor } from '../words/post-words.ts';
import { type CommandContext, actingAs } from './context.ts';
import { deliverInbox } from './notices.ts';
import { putListing } from './directory.ts';
import { putInboxPolicy } from './settings.ts';
import { syncPrivate } from './private.ts';

export async function timeline(context: CommandContext, query: TimelineQuery): Promise<Answer> {
  const me = actingAs(context);
  const { device } = context;
  await device.feeds.refresh(me.id); // never throws: an unreachable hub leaves what is held
  const hidden = PrivateState.open(device.home, me.name).hidden();
  const memo = openTimelineMemo(device.home);
  const posts = await readTimeline(device.store, me, { ...query, hidden }, memo, device.store.decoded);
  const now = Date.now();
  const styles = stylesFor(context.io.stdout);
  return {
    json: { posts },
    text:
      posts.length === 0
        ? 'Nothing yet. Follow someone: murmur follow NAME@HUB'
        : posts.map((p) => postWords(p, now, styles)).join('\n\n'),
  };
}

/**
 * The posts this home holds that match `text` (the app's search syntax), newest first; no network: `sync` or
 * `timeline` fetches first.
 */
export async function search(
  context: CommandContext,
  text: string,
  page: { readonly limit: number; readonly before?: SearchCursor },
): Promise<Answer> {
  const me = actingAs(context);
  const { device } = context;
  const hidden = PrivateState.open(device.home, me.name).hidden();
  const now = Date.now();
  const found = await searchPosts(device.store, me, { text, ...page, now, hidden });
  const cursor = found.cursor ? cursorText(found.cursor) : null;
  const styles = stylesFor(context.io.stdout);
  const more = cursor === null ? [] : [`More: murmur search ${JSON.stringify(text)} --before ${cursor}`];
  return {
    json: { posts: found.posts, cursor },
    text:
      found.posts.length === 0
        ? 'No post here matches. (murmur sync fetches the feeds you follow first.)'
        : [...found.posts.map((p, i) => postWords(p, now, styles, found.highlights[i])), ...more].join('\n\n'),
  };
}

export async function thread(context: CommandContext, id: string): Promise<Answer> {
  const me = actingAs(context);
  if (!isObjectId(id)) throw new CoreError('MalformedId', `${id} is not a post id (64 hex digits)`);
  await context.device.feeds.refresh(me.id);
  const posts = await readThread(
    context.device.store,
    me,
    id,
    PrivateState.open(context.device.home, me.name).hidden(),
  );
  const now = Date.now();
  const styles = stylesFor(context.io.stdout);
  const words = posts.map((p) => {
    const reactions = Object.entries(p.reactions).map(([emoji, who]) => `${emoji} ${who.length}`);
    const lines = `${postWords(p, now, styles)}${reactions.length > 0 ? `\n  ${reactions.join('  ')}` : ''}`;
    return lines.replaceAll(/^/gm, '  '.repeat(p.depth));
  });
  return { json: { posts }, text: words.join('\n\n') };
}

/** Each of one's hubs (home first) and the head of one's feed it holds, beside this device's (asks each hub). */
export async function hubs(context: CommandContext): Promise<Answer> {
  const me = actingAs(context);
  const { device } = context;
  const seq = (await device.store.findTips(me.id))?.seq ?? 0;
  const list = await Promise.all(
    me.hubs.map(async (url, i) => {
      try {
        const head = (await device.deps.hub(url).getHeads([me.id]))[me.id];
        return { url, home: i === 0, reachable: true, seq: head?.seq ?? 0 };
      } catch (error) {
        return { url, home: i === 0, reachable: false, seq: null, error: errorName(error) };
      }
    }),
  );
  const width = Math.max(...list.map((h) => h.url.length));
  const text = list.map((h) => {
    const role = h.home ? 'home ' : 'other';
    const state = h.reachable
      ? h.seq === seq
        ? `has seq ${h.seq}, up to date`
        : `has seq ${h.seq} of ${seq}`
      : `unreachable (${h.error})`;
    return `${role}  ${h.url.padEnd(width)}  ${state}`;
  });
  return { json: { seq, hubs: list }, text: text.join('\n') };
}

export async function sync(context: CommandContext): Promise<Answer> {
  const me = actingAs(context);
  const { device } = context;
  const status = await pushOwn(device, me.id);
  const deliveries = await deliverInbox(device, me.id);
  // Mutes, blocks and drafts from the other devices first: a block made in the app keeps its feed unfetched here.
  const privateState = await syncPrivate(device, me.id);
  await putInboxPolicy(device, me.id, me.name); // settings changed offline, or on another device
  await putListing(device, me); // the same, and a profile changed since: a listed card says it
  await device.feeds.refresh(me.id);
  const offline = status.state === 'unreachable' || status.state === 'offline';
  const follows = (await device.store.listFollows(me.id)).length;
  return {
    json: {
      state: status.state,
      queued: status.queued,
      deliveries,
      follows,
      private: privateState,
      ...(status.message && { message: status.message }),
    },
    text:
      status.state === 'synced'
        ? `Synced: nothing waits to be sent; ${follows} followed feeds checked.`
        : (status.message ?? `${status.state}: ${status.queued} waiting.`),
    ...(offline && { exitCode: EXIT.offline }),
  };
}

export async function status(context: CommandContext): Promise<Answer> {
  const me = actingAs(context);
  const { device } = context;
  const queued = await device.store.countQueued(me.id);
  const follows = (await device.store.listFollows(me.id)).length;
  const tips = await device.store.findTips(me.id);
  const json = {
    name: me.name,
    id: me.id,
    handle: me.handle ?? null,
    home: device.home,
    hubs: [...me.hubs],
    queued,
    follows,
    seq: tips?.seq ?? 0,
    tornBytes: device.store.tornBytes,
  };
  const text = [
    `${me.handle ?? me.name}  (${me.id})`,
    `  home     ${device.home}`,
    `  hubs     ${me.hubs.join(', ')}`,
    `  feed     seq ${json.seq}, ${queued} commits waiting to be sent`,
    `  follows  ${follows}`,
    ...(device.store.tornBytes > 0
      ? [`  a write cut short by a crash was set aside (${device.store.tornBytes} bytes)`]
      : []),
  ].join('\n');
  return { json, text };
}
