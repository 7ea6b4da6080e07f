/**
 * What one does: `post` (with a reply, a quote, tags, media files) and `follow`. Each is an own commit made by the
 * core's commitOwn over this home's store (signed, stored and queued in one
 * step, so it is never lost), then offered to the home hub at once; with no
 * hub reachable it stays queued for `sync`.
 */
import type { ObjectId, PseudonymId } from '../../protocol/ids.ts';
import { resolveHandle } from '../../../workers/feed/handle-lookup.ts';
import { commitOwn } from '../../../workers/feed/local-commits.ts';
import { postContent } from '../../../workers/feed/post-content.ts';
import type { Answer } from '../answer.ts';
import { type Device, pushOwn } from '../device.ts';
import { EXIT } from '../errors.ts';
import { type CommandContext, actingAs } from './context.ts';
import { readMediaFile } from './media-files.ts';
import { noticeCommit } from './notices.ts';

/**
 * Offers what `pseudonym` has queued to its home hub, and says how that went (docs/cli.md): sent; queued because
 * no hub answered (still success: it is on disk and `sync` sends it); or refused by the hub, which is exit 4 with
 * the hub's named error (the commit stays queued, so a later `sync` offers it again).
 */
export async function send(device: Device, pseudonym: PseudonymId) {
  const status = await pushOwn(device, pseudonym);
  const failure = device.engine.board.failureOf(pseudonym);
  const refused = status.queued > 0 && failure?.kind === 'refused' ? failure : undefined;
  const json = {
    sent: status.queued === 0,
    queued: status.queued,
    ...(status.queued > 0 && { reason: status.message }),
    ...(refused && { error: refused.name }),
  };
  const words =
    status.queued === 0
      ? 'Sent.'
      : refused
        ? `Refused by the hub: ${refused.message}`
        : `Queued: ${status.message ?? 'it goes out with the next sync.'} Run \`murmur sync\` to send it.`;
  return { json, words, ...(refused && { problem: `the hub refused it: ${refused.message}` }) };
}

/** An answer for a commit just made and offered: `fields` and the delivery, in JSON and in words. */
export function sentAnswer(fields: object, words: string, sent: Awaited<ReturnType<typeof send>>): Answer {
  return {
    json: { ...fields, ...sent.json },
    text: `${words} ${sent.words}`,
    ...(sent.problem !== undefined && { exitCode: EXIT.refused, problem: sent.problem }),
  };
}

export async function post(
  context: CommandContext,
  text: string,
  options: { reply?: string; quote?: string; tag?: readonly string[]; media?: readonly string[] },
): Promise<Answer> {
  const me = actingAs(context);
  const { device } = context;
  const make = postContent(me.id, text, {
    ...(options.reply && { replyTo: options.reply as ObjectId }),
    ...(options.quote && { quoteOf: options.quote as ObjectId }),
    ...(options.tag?.length && { tags: [...options.tag] }),
    ...(options.media?.length && { media: options.media.map(readMediaFile) }),
  });
  let built: ReturnType<typeof make>['post'] | undefined;
  const commit = await commitOwn(device.deps, me.id, (ctx) => {
    const content = make(ctx);
    built = content.post;
    return content;
  });
  await noticeCommit(device, me.id, commit, built);
  return sentAnswer({ id: built?.id, commit: commit.id }, `Posted ${built?.id}.`, await send(device, me.id));
}

export async function follow(context: CommandContext, handle: string): Promise<Answer> {
  const me = actingAs(context);
  const { device } = context;
  const resolved = await resolveHandle(device.deps, handle);
  const current = (await device.store.listFollows(me.id)).find((f) => f.target === resolved.target);
  const inForce = current?.handle === resolved.handle && current.hubs[0] === resolved.hub;
  if (!inForce) {
    const commit = await commitOwn(device.deps, me.id, () => ({
      ops: [{ type: 'follow', target: resolved.target, handle: resolved.handle, hubs: [resolved.hub] }],
      posts: [],
    }));
    await noticeCommit(device, me.id, commit); // the followed may approve them as a reader of followers posts
  }
  const added = await device.feeds.update(resolved.target, [resolved.hub], { forPseudonym: me.id });
  return sentAnswer(
    { target: resolved.target, handle: resolved.handle, hub: resolved.hub, fetched: added },
    `Following ${resolved.handle} (${added} new commits fetched).`,
    await send(device, me.id),
  );
}
