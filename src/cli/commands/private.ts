/**
 * What only oneself sees: `mute` / `unmute` (a user, a word, a tag), `block`
 * / `unblock`, `mutes`, and drafts (`draft`, `drafts`, `publish`). Each is a
 * change to the pseudonym's private document through the app's own functions
 * (workers/private/doc.ts); the timeline and threads then hide what it
 * hides (workers/private/filter.ts), and a blocked feed is never fetched.
 * The document syncs with the pseudonym's other devices (the app, another
 * home) through its home hub, sealed, by the app's own private sync
 * (workers/private/sync.ts over home/private-docs.ts): each change here is
 * pushed at once when a hub answers, and `sync` pulls and pushes.
 */
import { type ObjectId, type PseudonymId, isPseudonymId } from '../../protocol/ids.ts';
import { resolveHandle } from '../../../workers/feed/handle-lookup.ts';
import { commitOwn } from '../../../workers/feed/local-commits.ts';
import { postContent } from '../../../workers/feed/post-content.ts';
import {
  LIST_OF_MUTE,
  draftsOf,
  findDraft,
  removeDraft,
  setEntry,
  settingsOf,
  writeDraft,
} from '../../../workers/private/doc.ts';
import type { MuteKind } from '../../../workers/private/types.ts';
import { CoreError } from '../../../workers/errors.ts';
import { syncPrivateOnce } from '../../../workers/private/sync.ts';
import { errorName } from '../../../workers/errors.ts';
import type { Answer } from '../answer.ts';
import type { Device } from '../device.ts';
import { HomePrivateDocs } from '../home/private-docs.ts';
import { PrivateState } from '../home/private-state.ts';
import { type CommandContext, actingAs } from './context.ts';
import { noticeCommit } from './notices.ts';
import { send, sentAnswer } from './social.ts';

/** A pseudonym named by id, by a followed handle, or by any handle (asked of its hub). */
export async function pseudonymNamed(context: CommandContext, who: string): Promise<PseudonymId> {
  if (isPseudonymId(who)) return who;
  const me = actingAs(context);
  const wanted = who.toLowerCase();
  const followed = (await context.device.store.listFollows(me.id)).find((f) => f.handle?.toLowerCase() === wanted);
  return followed?.target ?? (await resolveHandle(context.device.deps, who)).target;
}

/**
 * One pass of `pseudonym`'s private document with its home hub: the other devices' changes merged in, this home's
 * pushed. Never throws. @returns 'synced', 'locked' (no passphrase to derive the sealing keys), or the failure's name
 */
export async function syncPrivate(device: Device, pseudonym: PseudonymId): Promise<string> {
  // An agent holds none of its owner's keys, so none of its private state either.
  if (await device.deps.keys.findAgent?.(pseudonym)) return 'agent';
  const docs = new HomePrivateDocs(device.home, (id) => device.pseudonyms.list().find((p) => p.id === id)?.name);
  try {
    const deps = { ...device.deps, docs, random: (b: Uint8Array<ArrayBuffer>) => crypto.getRandomValues(b) };
    return (await syncPrivateOnce(deps, pseudonym, new Map())).result;
  } catch (error) {
    return errorName(error);
  }
}

function privateOf(context: CommandContext) {
  const me = actingAs(context);
  return { me, state: PrivateState.open(context.device.home, me.name) };
}

function listsOf(state: PrivateState) {
  const { mutedUsers, mutedWords, mutedTags, blocked } = settingsOf(state.doc);
  return { mutedUsers, mutedWords, mutedTags, blocked };
}

function listsWords(lists: ReturnType<typeof listsOf>): string {
  const line = (label: string, entries: readonly { value: string }[]) =>
    `${label.padEnd(12)}${entries.length > 0 ? entries.map((e) => e.value).join(', ') : '-'}`;
  return [
    line('muted users', lists.mutedUsers),
    line('muted words', lists.mutedWords),
    line('muted tags', lists.mutedTags),
    line('blocked', lists.blocked),
  ].join('\n');
}

/** @throws CoreError InvalidField (an unknown kind, an empty word) */
export async function mute(context: CommandContext, kind: string, value: string, on: boolean): Promise<Answer> {
  if (!(kind in LIST_OF_MUTE))
    throw new CoreError('InvalidField', `mute what? user, word or tag (not ${kind})`, { field: 'kind' });
  const entry = kind === 'user' ? await pseudonymNamed(context, value) : value;
  const { state } = privateOf(context);
  state.change((doc) => setEntry(doc, LIST_OF_MUTE[kind as MuteKind], entry, on, Date.now()));
  await syncPrivate(context.device, actingAs(context).id);
  const lists = listsOf(privateOf(context).state); // with what the pass merged from other devices
  return { json: lists, text: `${on ? 'Muted' : 'Unmuted'} ${kind} ${value}.\n${listsWords(lists)}` };
}

export async function block(context: CommandContext, who: string, on: boolean): Promise<Answer> {
  const id = await pseudonymNamed(context, who);
  const { state } = privateOf(context);
  state.change((doc) => setEntry(doc, 'blocked', id, on, Date.now()));
  await syncPrivate(context.device, actingAs(context).id);
  const lists = listsOf(privateOf(context).state); // with what the pass merged from other devices
  return { json: lists, text: `${on ? 'Blocked' : 'Unblocked'} ${who}.\n${listsWords(lists)}` };
}

export async function mutes(context: CommandContext): Promise<Answer> {
  const lists = listsOf(privateOf(context).state);
  return { json: lists, text: listsWords(lists) };
}

export async function draft(
  context: CommandContext,
  body: string,
  options: { id?: string; reply?: string; quote?: string },
): Promise<Answer> {
  const { state } = privateOf(context);
  const id = options.id ?? `cli-${Date.now().toString(36)}`;
  state.change((doc) =>
    writeDraft(
      doc,
      {
        id,
        body,
        ...(options.reply && { replyTo: options.reply as ObjectId }),
        ...(options.quote && { quoteOf: options.quote as ObjectId }),
      },
      Date.now(),
    ),
  );
  await syncPrivate(context.device, actingAs(context).id);
  const saved = findDraft(state.doc, id)!;
  return { json: saved, text: `Draft ${id} saved. murmur publish ${id} posts it.` };
}

export async function drafts(context: CommandContext): Promise<Answer> {
  const list = draftsOf(privateOf(context).state.doc);
  const text = list.map((d) => `${d.id}  ${new Date(d.updatedAt).toISOString()}\n  ${d.body.replaceAll('\n', '\n  ')}`);
  return { json: { drafts: list }, text: text.length > 0 ? text.join('\n\n') : 'No drafts.' };
}

/** Posts draft `id` (its reply and quote too) and removes it. @throws CoreError NotFound */
export async function publish(context: CommandContext, id: string): Promise<Answer> {
  const { me, state } = privateOf(context);
  const saved = findDraft(state.doc, id);
  if (!saved) throw new CoreError('NotFound', `no draft ${id} (murmur drafts lists them)`);
  const make = postContent(me.id, saved.body, {
    ...(saved.replyTo && { replyTo: saved.replyTo }),
    ...(saved.quoteOf && { quoteOf: saved.quoteOf }),
  });
  let post: ReturnType<typeof make>['post'] | undefined;
  const commit = await commitOwn(context.device.deps, me.id, (ctx) => {
    const content = make(ctx);
    post = content.post;
    return content;
  });
  state.change((doc) => removeDraft(doc, id));
  await syncPrivate(context.device, me.id);
  await noticeCommit(context.device, me.id, commit, post);
  const answer = { id: post?.id, commit: commit.id, draft: id };
  return sentAnswer(answer, `Posted ${post?.id}.`, await send(context.device, me.id));
}
