/**
 * What a viewer should see, derived from the protocol's pure model of each
 * feed (feed-state.ts) and nothing of the worker: timelines, threads,
 * profiles, edit histories. The merge-model test compares it with what the
 * worker's read views show after applying the same commits.
 *
 * The view rules (who sees a post, what a thread holds) are the ones
 * timeline-rows.ts and post-views.ts document; the facts they rest on (which
 * posts, versions, tombstones, reactions, reposts, follows, profile fields
 * and votes stand) come only from feedState().
 */
import { type FeedState, compareStamps, feedState, shownVersion } from '../../src/protocol/feed-state.ts';
import type { ObjectId, PseudonymId } from '../../src/protocol/ids.ts';
import type { PostObject } from '../../src/protocol/objects.ts';
import type { VerifiedCommit } from '../store/apply-plan.ts';
import { EMOJIS } from './random-feeds.ts';

/** A timeline item as compared (the fields the merge decides; `queued` is the outbox's, not the merge's). */
export interface SeenItem {
  id: ObjectId;
  commitId: string;
  author: PseudonymId;
  authorHandle?: string;
  authorName?: string;
  body: string;
  ts: number;
  replyTo?: ObjectId;
  quoteOf?: ObjectId;
  edited?: boolean;
  repostedBy?: PseudonymId[];
  reactions?: { emoji: string; count: number; mine: boolean }[];
  votes?: { up: number; down: number; mine: -1 | 0 | 1 };
  replies?: number;
}

export interface SeenProfile {
  handle?: string;
  name?: string;
  bio?: string;
  counts: { following: number; followersSeen: number; posts: number; reactions: number };
  followed: boolean;
  agents: readonly { id: PseudonymId; model?: string; name?: string; revoked: boolean }[];
}

/** Everything compared, per local viewer. */
export interface SeenWorld {
  timelines: Record<string, SeenItem[]>;
  threads: Record<string, { root: ObjectId; items: { id: ObjectId; depth: number; body: string }[] } | undefined>;
  profiles: Record<string, SeenProfile | undefined>;
  histories: Record<string, { id: ObjectId; body: string; ts: number }[]>;
}

export interface Local {
  readonly id: PseudonymId;
  readonly handle?: string;
}

/** The model's answer for `commits`, seen by `locals`. */
export function modelWorld(
  commits: readonly VerifiedCommit[],
  objects: ReadonlyMap<ObjectId, PostObject>,
  locals: readonly Local[],
): SeenWorld {
  const authors = [...new Set(commits.map((c) => c.signed.commit.author))];
  const states = new Map<PseudonymId, FeedState>(
    authors.map((a) => [
      a,
      feedState(
        commits.filter((c) => c.signed.commit.author === a).map((c) => ({ id: c.signed.id, commit: c.signed.commit })),
      ),
    ]),
  );
  const state = (a: PseudonymId) => states.get(a) ?? feedState([]);
  /** Every held post: published in its author's feed (a post object names its author). */
  const posts = new Map<ObjectId, PostObject>();
  for (const [a, s] of states) {
    for (const id of s.posts.keys()) if (objects.get(id)?.author === a) posts.set(id, objects.get(id)!);
  }
  const deleted = (id: ObjectId) => state(posts.get(id)!.author).deleted.has(id);
  const follows = (viewer: PseudonymId, target: PseudonymId) => state(viewer).follows.get(target)?.value;
  const sees = (viewer: PseudonymId, carrier: PseudonymId) =>
    viewer === carrier || follows(viewer, carrier)?.following === true;
  const reposters = (id: ObjectId) =>
    authors.filter((r) => r !== posts.get(id)!.author && state(r).reposts.has(id) && !state(r).deleted.has(id));
  const replies = (id: ObjectId) =>
    [...posts]
      .filter(([r, p]) => p.reply_to === id && !deleted(r))
      .map(([r]) => r)
      .sort((a, b) => posts.get(a)!.ts - posts.get(b)!.ts || (a < b ? -1 : 1));
  const localOf = new Map(locals.map((l) => [l.id, l]));

  const itemFor = (viewer: PseudonymId, id: ObjectId): SeenItem => {
    const post = posts.get(id)!;
    const s = state(post.author);
    const shown = shownVersion(s, id)!;
    const handle = viewer === post.author ? localOf.get(viewer)?.handle : follows(viewer, post.author)?.handle;
    const name = s.profile.get('name')?.value;
    const by = reposters(id)
      .filter((r) => sees(viewer, r))
      .sort();
    const reactions = [...EMOJIS].sort().flatMap((emoji) => {
      const on = authors.filter((x) => state(x).reactions.get(`${id} ${emoji}`)?.value === true);
      return on.length > 0 ? [{ emoji, count: on.length, mine: on.includes(viewer) }] : [];
    });
    const votes = authors.map((x) => state(x).votes.get(id)?.value ?? 0);
    const mine = state(viewer).votes.get(id)?.value ?? 0;
    const up = votes.filter((v) => v === 1).length;
    const down = votes.filter((v) => v === -1).length;
    const count = replies(id).length;
    return {
      id,
      commitId: s.posts.get(id)![1],
      author: post.author,
      ...(handle !== undefined && { authorHandle: handle }),
      ...(typeof name === 'string' && { authorName: name }),
      body: objects.get(shown)!.body,
      ts: post.ts,
      ...(post.reply_to !== undefined && { replyTo: post.reply_to }),
      ...(post.quote_of !== undefined && { quoteOf: post.quote_of }),
      ...((s.edits.get(id)?.size ?? 0) > 0 && { edited: true }),
      ...(by.length > 0 && { repostedBy: by }),
      ...(reactions.length > 0 && { reactions }),
      ...((up > 0 || down > 0 || mine !== 0) && { votes: { up, down, mine } }),
      ...(count > 0 && { replies: count }),
    };
  };
  const visible = (viewer: PseudonymId, id: ObjectId) =>
    !deleted(id) && [posts.get(id)!.author, ...reposters(id)].some((c) => sees(viewer, c));

  const world: SeenWorld = { timelines: {}, threads: {}, profiles: {}, histories: {} };
  for (const { id: viewer } of locals) {
    world.timelines[viewer] = [...posts.keys()]
      .filter((id) => visible(viewer, id))
      .sort((a, b) => posts.get(b)!.ts - posts.get(a)!.ts || (a < b ? 1 : -1))
      .map((id) => itemFor(viewer, id));
    for (const id of posts.keys()) world.threads[`${viewer} ${id}`] = threadOf(viewer, id);
    for (const author of authors) world.profiles[`${viewer} ${author}`] = profileOf(viewer, author);
  }
  for (const [id, post] of posts) {
    const versions = [...(state(post.author).edits.get(id) ?? [])].sort(([, a], [, b]) => compareStamps(a, b));
    const edits = versions.map(([v]) => ({ id: v, body: objects.get(v)!.body, ts: objects.get(v)!.ts }));
    world.histories[id] = [{ id, body: post.body, ts: post.ts }, ...edits];
  }
  return world;

  /** From the highest held ancestor down, depth-first; a deleted post hides itself and what hangs under it. */
  function threadOf(viewer: PseudonymId, id: ObjectId): SeenWorld['threads'][string] {
    let root = id;
    for (let up = posts.get(root)!.reply_to; up && posts.has(up); up = posts.get(root)!.reply_to) root = up;
    const items: { id: ObjectId; depth: number; body: string }[] = [];
    const visit = (at: ObjectId, depth: number) => {
      if (deleted(at)) return;
      const withView = visible(viewer, at);
      items.push({ id: at, depth, body: withView ? itemFor(viewer, at).body : posts.get(at)!.body });
      for (const r of replies(at)) visit(r, depth + 1);
    };
    visit(root, 0);
    return { root, items };
  }

  function profileOf(viewer: PseudonymId, author: PseudonymId): SeenProfile {
    const s = state(author);
    const field = (f: 'name' | 'bio') => {
      const value = s.profile.get(f)?.value;
      return typeof value === 'string' ? value : undefined;
    };
    const self = localOf.get(author)?.handle;
    const handle = viewer === author ? self : (follows(viewer, author)?.handle ?? self);
    const name = field('name');
    const bio = field('bio');
    return {
      ...(handle !== undefined && { handle }),
      ...(name !== undefined && { name }),
      ...(bio !== undefined && { bio }),
      counts: {
        following: [...s.follows.values()].filter((f) => f.value.following).length,
        followersSeen: authors.filter((x) => follows(x, author)?.following === true).length,
        posts: [...posts].filter(([id, p]) => p.author === author && !deleted(id)).length,
        reactions: [...s.reactions.values()].filter((r) => r.value).length,
      },
      followed: follows(viewer, author)?.following === true,
      agents: [...new Set([...s.agents.keys(), ...s.revoked])].map((id) => {
        const seen = s.agents.get(id)?.value;
        const { model, name } = seen ?? {};
        return { id, ...(model && { model }), ...(name !== undefined && { name }), revoked: s.revoked.has(id) };
      }),
    };
  }
}
