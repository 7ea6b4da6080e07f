/**
 * `murmur agent devlog --repo PATH`: an agent that posts a summary of a git repository's commits since its last
 * devlog post, at most once per UTC day, and nothing on a day without new commits. It is meant to run under
 * MURMUR_AGENT_KEY (its posts then sign as the agent), from cron or a loop; it is an ordinary post of the
 * pseudonym it acts as, made with the core's commitOwn and sent like `post` (commands/social.ts).
 *
 * Once a day, across crashes and restarts: the decision is read from durable state only, never from memory.
 * commitOwn puts the post in the home's journal (fsynced) before anything is sent, and every run starts by
 * sending what is queued and merging what the hub holds of its own feed, then looks in that feed for a devlog
 * post of the day (its tags, devlog-post.ts). A run killed between its commit and the hub's answer leaves the
 * post queued: the next run finds it, sends it, and posts nothing new. A deleted devlog post still counts for
 * its day. Two devices posting the same pseudonym's devlog while cut off from the hub could each post once.
 */
import type { ObjectId, PseudonymId } from '../../protocol/ids.ts';
import { feedState } from '../../protocol/feed-state.ts';
import { isSealedPost } from '../../protocol/audience.ts';
import { decodePost } from '../../protocol/objects.ts';
import { commitOwn } from '../../../workers/feed/local-commits.ts';
import { postContent } from '../../../workers/feed/post-content.ts';
import type { FeedStore } from '../../../workers/store/core-store.ts';
import type { Answer } from '../answer.ts';
import { type CommandContext, actingAs } from '../commands/context.ts';
import { send, sentAnswer } from '../commands/social.ts';
import { heldCommits } from '../../../workers/read/held-feed.ts';
import { type DevlogMark, devlogBody, devlogTags, findDevlogMark, summarizeCommits, utcDayOf } from './devlog-post.ts';
import { findCommit, readGitLog } from './git-log.ts';

export interface DevlogOptions {
  /** The git repository (any folder inside its work tree). */
  readonly repo: string;
  /** The UTC day this run counts as, YYYY-MM-DD (checked by the caller); default today. */
  readonly date?: string;
}

interface HeldDevlog extends DevlogMark {
  readonly id: ObjectId;
  /** When it was made, by its author's clock. */
  readonly ts: number;
}

/** Every devlog post of `me`'s feed as this device holds it, deleted ones too. */
async function heldDevlogs(store: FeedStore, me: PseudonymId): Promise<HeldDevlog[]> {
  const state = feedState(await heldCommits(store, me));
  const found: HeldDevlog[] = [];
  for (const [id, bytes] of await store.findBlobs(me, [...state.posts.keys()])) {
    if (isSealedPost(bytes)) continue; // a devlog post is public; a sealed one is none
    const { value } = decodePost(bytes, id as ObjectId);
    const mark = value.author === me ? findDevlogMark(value.tags) : undefined;
    if (mark) found.push({ ...mark, id: id as ObjectId, ts: value.ts });
  }
  return found;
}

/**
 * Posts the devlog of `options.repo` for the day, or says why not (docs/cli.md has the answer's shape).
 * @throws CoreError NotFound (no repository there, or no git); CliError GitFailed; as `post`
 */
export async function devlog(context: CommandContext, options: DevlogOptions): Promise<Answer> {
  const me = actingAs(context);
  const { device } = context;
  const day = options.date ?? utcDayOf(Date.now());
  const head = await findCommit(options.repo, 'HEAD'); // first: a wrong --repo fails before any network
  // What a crashed run committed goes out now, and the feed read next holds what the hub has of it.
  const pulled = await send(device, me.id);
  const held = await heldDevlogs(device.store, me.id);
  const today = held.find((p) => p.day === day);
  if (today) {
    const fields = { posted: false, reason: 'already posted today', day, id: today.id };
    return sentAnswer(fields, `Nothing to post: the devlog for ${day} is ${today.id}.`, pulled);
  }
  const last = held.sort((a, b) => b.ts - a.ts)[0];
  const since = last?.day ?? day;
  // After the last commit the last post covered; if the history lost it, since that post was made.
  const after = head && last?.head ? await findCommit(options.repo, last.head) : undefined;
  const range = after ? { after } : { since: last?.ts ?? Date.parse(`${day}T00:00:00Z`) };
  const commits = head ? await readGitLog(options.repo, head, range) : [];
  if (commits.length === 0 || !head) {
    return sentAnswer(
      { posted: false, reason: 'no commits', day },
      `Nothing to post: no commits since ${last ? `the devlog of ${since}` : since}.`,
      pulled,
    );
  }

  const summary = summarizeCommits(commits);
  const body = devlogBody(summary, since);
  const make = postContent(me.id, body, { tags: devlogTags(day, head) });
  let id: ObjectId | undefined;
  const commit = await commitOwn(device.deps, me.id, (ctx) => {
    const content = make(ctx);
    id = content.post.id;
    return content;
  });
  return sentAnswer(
    { posted: true, id, commit: commit.id, day, since, head, ...summary },
    `Posted the devlog for ${day} (${id}): ${body}`,
    await send(device, me.id),
  );
}
