/**
 * What one does: `post` (with a reply, a quote, tags, media files, an
 * audience) and `follow`. Each is an own commit made by the core's commitOwn
 * over this home's store (signed, stored and queued in one step, so it is
 * never lost), then offered to the home hub at once; with no hub reachable it
 * stays queued for `sync`. A post for named readers or a link is sealed
 * first, by the app's code (commands/audience.ts).
 */
import type { ObjectId, PseudonymId } from '../../protocol/ids.ts';
import { resolveHandle } from '../../../workers/feed/handle-lookup.ts';
import { commitOwn } from '../../../workers/feed/local-commits.ts';
import { postContent } from '../../../workers/feed/post-content.ts';
import { checkAudience, sealedPostContent } from '../../../workers/feed/audience-content.ts';
import { linkFragment } from '../../protocol/audience.ts';
import type { Answer } from '../answer.ts';
import { type Device, pushOwn } from '../device.ts';
import { EXIT } from '../errors.ts';
import { type CommandContext, actingAs } from './context.ts';
import { audienceNamed, linkOf, sealedChoiceOf } from './audience.ts';
import { readMediaFile } from './media-files.ts';
import { noticeCommit } from './notices.ts';
import { PrivateState } from '../home/private-state.ts';
import { recordLink } from '../../../workers/private/links.ts';

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
  options: {
    reply?: string;
    quote?: string;
    tag?: readonly string[];
    media?: readonly string[];
    audience?: string;
    reader?: readonly string[];
  },
): Promise<Answer> {
  const me = actingAs(context);
  const { device } = context;
  const audience = await audienceNamed(context, options.audience, options.reader);
  const postOptions = {
    ...(options.reply && { replyTo: options.reply as ObjectId }),
    ...(options.quote && { quoteOf: options.quote as ObjectId }),
    ...(options.tag?.length && { tags: [...options.tag] }),
    ...(options.media?.length && { media: options.media.map(readMediaFile) }),
  };
  checkAudience(audience, postOptions);
  const make = postContent(me.id, text, postOptions);
  const choice = await sealedChoiceOf(device, me.id, audience);
  const random = (length: number) => crypto.getRandomValues(new Uint8Array(length));
  let built: ReturnType<typeof make>['post'] | undefined;
  let linkSecret: Uint8Array | undefined;
  // Sealed as the app seals it (workers/feed/social-actions.ts commitPostWith): only ciphertext leaves the device.
  const commit = await commitOwn(device.deps, me.id, (ctx) => {
    const content = make(ctx);
    if (!choice) {
      built = content.post;
      return content;
    }
    const sealed = sealedPostContent(content, choice, { id: me.id, secretKey: ctx.secretKey }, random);
    built = sealed.post;
    linkSecret = sealed.mark.linkSecret;
    return sealed;
  });
  // A notice carries the post to an inbox in the clear: a sealed post's readers read it from its feed.
  if (!choice) await noticeCommit(device, me.id, commit, built);
  const linkKey = linkSecret && linkFragment(linkSecret);
  // Kept in the private state, so the pseudonym's other devices (the app's too) open the post (private/links.ts);
  // an agent writes none of its owner's (and its commits are never adopted).
  if (linkKey && built && !commit.commit.agent)
    PrivateState.open(device.home, me.name).change((doc) =>
      recordLink(doc, { post: built!.id, commit: commit.id, key: linkKey }),
    );
  const fields = {
    id: built?.id,
    commit: commit.id,
    ...(choice && { audience: choice.kind }),
    ...(linkKey && { linkKey }),
  };
  const link =
    linkKey && me.hubs[0]
      ? ` Its link (whoever holds it reads the post): ${linkOf(me.hubs[0], commit.id, linkKey)}`
      : '';
  return sentAnswer(fields, `Posted ${built?.id}.${link}`, await send(device, me.id));
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
