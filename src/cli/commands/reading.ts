/**
 * Reading and keeping up: `timeline` (follows refreshed, then the store
 * read), `sync` (send what is queued, merge what other devices sent, fetch
 * the follows) and `status` (what this home holds and owes, no network).
 */
import type { Answer } from '../answer.ts';
import { pushOwn } from '../device.ts';
import { EXIT } from '../errors.ts';
import { type TimelinePost, readTimeline } from '../read/timeline.ts';
import { type CommandContext, actingAs } from './context.ts';

function postWords(post: TimelinePost, now: number): string {
  const who = post.handle ?? `${post.author.slice(0, 12)}…`;
  const reply = post.replyTo ? `  (reply to ${post.replyTo.slice(0, 12)}…)` : '';
  const tags = post.tags.length > 0 ? `  ${post.tags.map((t) => `#${t}`).join(' ')}` : '';
  return `${who}  ${ago(now - post.ts)}${reply}${tags}\n  ${post.body.replaceAll('\n', '\n  ')}\n  ${post.id}`;
}

/** A duration in the largest whole unit: 5s, 3m, 2h, 4d. */
function ago(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s ago`;
  if (s < 3600) return `${Math.floor(s / 60)}m ago`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h ago`;
  return `${Math.floor(s / 86_400)}d ago`;
}

export async function timeline(context: CommandContext, options: { limit: number }): Promise<Answer> {
  const me = actingAs(context);
  const { device } = context;
  await device.feeds.refresh(me.id); // never throws: an unreachable hub leaves what is held
  const posts = await readTimeline(device.store, me, options.limit);
  const now = Date.now();
  return {
    json: { posts },
    text:
      posts.length === 0
        ? 'Nothing yet. Follow someone: murmur follow NAME@HUB'
        : posts.map((p) => postWords(p, now)).join('\n\n'),
  };
}

export async function sync(context: CommandContext): Promise<Answer> {
  const me = actingAs(context);
  const { device } = context;
  const status = await pushOwn(device, me.id);
  await device.feeds.refresh(me.id);
  const offline = status.state === 'unreachable' || status.state === 'offline';
  const follows = (await device.store.listFollows(me.id)).length;
  return {
    json: { state: status.state, queued: status.queued, follows, ...(status.message && { message: status.message }) },
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
