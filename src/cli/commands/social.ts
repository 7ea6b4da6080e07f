/**
 * What one does: `post` and `follow`. Each is an own commit made by the
 * core's commitOwn over this home's store (signed, stored and queued in one
 * step, so it is never lost), then offered to the home hub at once; with no
 * hub reachable it stays queued for `sync`.
 */
import type { ObjectId } from '../../protocol/ids.ts';
import { resolveHandle } from '../../../workers/feed/handle-lookup.ts';
import { commitOwn } from '../../../workers/feed/local-commits.ts';
import { postContent } from '../../../workers/feed/post-content.ts';
import type { SyncStatus } from '../../../workers/api/api-types.ts';
import type { Answer } from '../answer.ts';
import { pushOwn } from '../device.ts';
import { type CommandContext, actingAs } from './context.ts';

/** Whether the home hub has what was queued, as `post` and `follow` print it (docs/cli.md). */
export function delivery(status: SyncStatus) {
  return { sent: status.queued === 0, queued: status.queued, ...(status.queued > 0 && { reason: status.message }) };
}

function deliveryWords(status: SyncStatus): string {
  if (status.queued === 0) return 'Sent.';
  return `Queued: ${status.message ?? 'it goes out with the next sync.'} Run \`murmur sync\` to send it.`;
}

export async function post(
  context: CommandContext,
  text: string,
  options: { reply?: string; tag?: readonly string[] },
): Promise<Answer> {
  const me = actingAs(context);
  const { device } = context;
  const make = postContent(me.id, text, {
    ...(options.reply && { replyTo: options.reply as ObjectId }),
    ...(options.tag?.length && { tags: [...options.tag] }),
  });
  let id: ObjectId | undefined;
  const commit = await commitOwn(device.deps, me.id, (ctx) => {
    const content = make(ctx);
    id = content.post.id;
    return content;
  });
  const status = await pushOwn(device, me.id);
  return {
    json: { id, commit: commit.id, ...delivery(status) },
    text: `Posted ${id}. ${deliveryWords(status)}`,
  };
}

export async function follow(context: CommandContext, handle: string): Promise<Answer> {
  const me = actingAs(context);
  const { device } = context;
  const resolved = await resolveHandle(device.deps, handle);
  const current = (await device.store.listFollows(me.id)).find((f) => f.target === resolved.target);
  const inForce = current?.handle === resolved.handle && current.hubs[0] === resolved.hub;
  if (!inForce) {
    await commitOwn(device.deps, me.id, () => ({
      ops: [{ type: 'follow', target: resolved.target, handle: resolved.handle, hubs: [resolved.hub] }],
      posts: [],
    }));
  }
  const added = await device.feeds.update(resolved.target, [resolved.hub], { forPseudonym: me.id });
  const status = await pushOwn(device, me.id);
  return {
    json: { target: resolved.target, handle: resolved.handle, hub: resolved.hub, fetched: added, ...delivery(status) },
    text: `Following ${resolved.handle} (${added} new commits fetched). ${deliveryWords(status)}`,
  };
}
