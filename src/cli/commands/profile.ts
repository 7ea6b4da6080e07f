/**
 * Profiles: `profile [HANDLE]` reads one (one's own, a follow's as held, or
 * anyone's by handle: their feed is fetched first), and `profile set` changes
 * one's own (name, bio, topics, avatar), one own commit like a post. A profile is the
 * merge model's per-field last writer (feed-state.ts).
 */
import { feedState, shownVersion } from '../../protocol/feed-state.ts';
import type { ObjectId, PseudonymId } from '../../protocol/ids.ts';
import { resolveHandle } from '../../../workers/feed/handle-lookup.ts';
import { commitOwn } from '../../../workers/feed/local-commits.ts';
import { profileContent } from '../../../workers/feed/post-content.ts';
import type { Answer } from '../answer.ts';
import { heldCommits } from '../../../workers/read/held-feed.ts';
import { type CommandContext, actingAs } from './context.ts';
import { putListing } from './directory.ts';
import { readMediaFile } from './media-files.ts';
import { send, sentAnswer } from './social.ts';

/** A profile as `profile --json` prints it (docs/cli.md). */
export interface ProfileAnswer {
  readonly id: PseudonymId;
  readonly handle: string | null;
  readonly name: string | null;
  readonly bio: string | null;
  readonly links: readonly string[];
  /** Public topics it posts about, sorted ([] when none). */
  readonly topics: readonly string[];
  /** The avatar blob's id (sha256). */
  readonly avatar: ObjectId | null;
  /** Posts shown (not deleted) and feeds followed, as held. */
  readonly posts: number;
  readonly following: number;
  /** The agents its commits show under its delegation, and those it revoked (name and model when seen). */
  readonly agents: readonly { id: PseudonymId; name: string | null; model: string | null; revoked: boolean }[];
}

async function whose(context: CommandContext, handle: string | undefined) {
  const me = actingAs(context);
  const { device } = context;
  if (handle === undefined) return { me, author: me.id, handle: me.handle ?? null };
  const wanted = handle.toLowerCase();
  const followed = (await device.store.listFollows(me.id)).find((f) => f.handle?.toLowerCase() === wanted);
  const resolved = followed
    ? { target: followed.target, handle: followed.handle!, hub: followed.hubs[0] }
    : await resolveHandle(device.deps, handle);
  if (resolved.hub && resolved.target !== me.id)
    await device.feeds.update(resolved.target, [resolved.hub], { forPseudonym: me.id });
  return { me, author: resolved.target, handle: resolved.handle };
}

export async function showProfile(context: CommandContext, handle: string | undefined): Promise<Answer> {
  const { author, ...who } = await whose(context, handle);
  const state = feedState(await heldCommits(context.device.store, author));
  const field = <T>(name: 'name' | 'bio' | 'links' | 'topics' | 'avatar') =>
    state.profile.get(name)?.value as T | undefined;
  const json: ProfileAnswer = {
    id: author,
    handle: who.handle,
    name: field<string>('name') ?? null,
    bio: field<string>('bio') ?? null,
    links: field<string[]>('links') ?? [],
    topics: field<string[]>('topics') ?? [],
    avatar: field<ObjectId>('avatar') ?? null,
    posts: [...state.posts.keys()].filter((id) => shownVersion(state, id) !== undefined).length,
    following: [...state.follows.values()].filter((f) => f.value.following).length,
    agents: [...new Set([...state.agents.keys(), ...state.revoked])].map((id) => {
      const seen = state.agents.get(id)?.value;
      return { id, name: seen?.name ?? null, model: seen?.model ?? null, revoked: state.revoked.has(id) };
    }),
  };
  const text = [
    `${json.name ?? json.handle ?? author}${json.name && json.handle ? `  ${json.handle}` : ''}`,
    ...(json.bio ? [`  ${json.bio.replaceAll('\n', '\n  ')}`] : []),
    ...json.links.map((l) => `  ${l}`),
    ...(json.topics.length > 0 ? [`  ${json.topics.map((t) => `#${t}`).join(' ')}`] : []),
    `  ${json.posts} posts, following ${json.following}${json.avatar ? ', has an avatar' : ''}`,
    ...json.agents.map(
      (a) => `  agent ${a.name ?? a.id.slice(0, 12)} (${a.model ?? '?'})${a.revoked ? ', revoked' : ''}`,
    ),
    `  ${author}`,
  ].join('\n');
  return { json, text };
}

export async function setProfile(
  context: CommandContext,
  options: { name?: string; bio?: string; topics?: string; avatar?: string },
): Promise<Answer> {
  const me = actingAs(context);
  const content = profileContent({
    ...(options.name !== undefined && { name: options.name }),
    ...(options.bio !== undefined && { bio: options.bio }),
    ...(options.topics !== undefined && { topics: topicsOf(options.topics) }),
    ...(options.avatar !== undefined && { avatar: readMediaFile(options.avatar) }),
  });
  const commit = await commitOwn(context.device.deps, me.id, () => content);
  const sent = await send(context.device, me.id);
  await putListing(context.device, me); // a listed card says the new name, bio and topics (never throws)
  return sentAnswer({ id: me.id, commit: commit.id }, 'Profile updated.', sent);
}

/** `--topics "music, #rust"`: words split on commas and spaces, '#' dropped ("" clears them). */
function topicsOf(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((t) => t.replace(/^#/, ''))
    .filter((t) => t !== '');
}
