/**
 * `murmur hive list | show` (issue 21 point 5): the hives this pseudonym made
 * or joined, and one hive as its hubs show it to anyone, assembled and checked
 * here (workers/hives/assemble.ts), its posts New or Top over a chosen window
 * (workers/hives/hive-order.ts), a post's comments as a thread, the public
 * moderation log. People are named by their published profiles (those this home
 * cannot name yet are fetched first, a few a read: workers/inbox/people.ts).
 */
import type { HiveState } from '../../protocol/hive-state.ts';
import type { ObjectId, PseudonymId } from '../../protocol/ids.ts';
import { CoreError } from '../../../workers/errors.ts';
import { type CommentNode, type HiveSort, commentThread, orderHivePosts } from '../../../workers/hives/hive-order.ts';
import type { Answer } from '../answer.ts';
import { inert } from '../words/inert.ts';
import { type CommandContext, actingAs } from './context.ts';
import { hiveAt, hiveLink, hivesOf, resultValue } from './hives.ts';

export async function listHives(context: CommandContext): Promise<Answer> {
  const me = actingAs(context);
  const api = hivesOf(context);
  await api.adopt(me.id); // the hives made on the owner's other devices are listed as its own too
  const hives = await api.api.listHives(me.id);
  await api.close();
  const lines = hives.map((h) => {
    const marks = `${h.owned ? ' (yours)' : ''}${h.left ? ' (left)' : ''}`;
    return `${h.hive.slice(0, 12)}  ${inert(h.name ?? '(not read yet)')}${marks}`;
  });
  return {
    json: { hives: hives.map((h) => ({ ...h, link: hiveLink(h) })) },
    text: lines.length > 0 ? lines.join('\n') : 'No hives yet: `murmur hive create NAME`, or `murmur hive join LINK`.',
  };
}

/** The hives listed in the directory of this pseudonym's home hub (each listing verified), never people. */
export async function discoverHives(context: CommandContext): Promise<Answer> {
  const me = actingAs(context);
  const hives = resultValue(await hivesOf(context).api.listListedHives(me.id));
  const lines = hives.map((h) => `${inert(h.handle)}  ${inert(h.name ?? '')}${h.bio ? `: ${inert(h.bio)}` : ''}`);
  return {
    json: { hives: hives.map((h) => ({ ...h, link: hiveLink(h) })) },
    text: lines.length > 0 ? lines.join('\n') : 'No hive is listed on your hub yet.',
  };
}

export interface ShowOptions {
  readonly sort?: 'new' | 'top';
  readonly window?: 'day' | 'week' | 'month' | 'all';
  readonly post?: string;
  readonly hub?: string[];
}

export async function showHive(context: CommandContext, ref: string, options: ShowOptions): Promise<Answer> {
  const me = actingAs(context);
  const at = await hiveAt(context, ref, options.hub);
  const hives = hivesOf(context);
  const read = resultValue(await hives.api.readHive(me.id, at));
  await hives.named();
  const { state } = read;
  if (!state.exists) throw new CoreError('NotFound', `no hive ${at.hive} on ${at.hubs.join(', ')}`);
  const names = await namesOf(context, state);
  const name = (id: PseudonymId) => names.get(id) ?? id.slice(0, 8);
  const sort: HiveSort = options.sort === 'top' ? { by: 'top', window: options.window ?? 'week' } : { by: 'new' };
  const posts = orderHivePosts(state.posts, sort, Date.now());
  const counts = new Map<ObjectId, number>();
  for (const c of state.comments) counts.set(c.object.post, (counts.get(c.object.post) ?? 0) + 1);
  const postJson = posts.map((p) => ({
    id: p.id,
    author: p.author,
    authorName: name(p.author),
    ts: p.object.ts,
    title: p.object.title,
    ...(p.object.body !== undefined && { body: p.object.body }),
    ...(p.object.link !== undefined && { link: p.object.link }),
    ...p.votes,
    comments: counts.get(p.id) ?? 0,
  }));
  const shown = options.post === undefined ? undefined : posts.find((p) => p.id === options.post);
  if (options.post !== undefined && !shown)
    throw new CoreError('NotFound', `no post ${options.post} shown in this hive`, { field: 'post' });
  const thread = shown && commentThread(state.comments, shown.id);
  const threadJson = (nodes: readonly CommentNode[]): object[] =>
    nodes.map(({ comment, replies }) => ({
      id: comment.id,
      author: comment.author,
      authorName: name(comment.author),
      ts: comment.object.ts,
      body: comment.object.body,
      ...comment.votes,
      replies: threadJson(replies),
    }));
  const json = {
    hive: at.hive,
    link: hiveLink(at),
    ...state.settings,
    owner: state.owner,
    moderators: state.moderators,
    members: state.members,
    sort,
    posts: postJson,
    ...(thread && { post: options.post, comments: threadJson(thread) }),
    log: state.log.map((l) => ({ ...l, byName: name(l.by) })),
    notices: read.notices,
    dropped: read.dropped,
  };
  return { json, text: words(state, postJson, thread, name) };
}

function words(
  state: Extract<HiveState, { exists: true }>,
  posts: readonly { id: ObjectId; authorName: string; title: string; score: number; comments: number }[],
  thread: readonly CommentNode[] | undefined,
  name: (id: PseudonymId) => string,
): string {
  const admitted = state.members.filter((m) => m.admitted).length;
  const head = [`${inert(state.settings.name)} (${state.settings.membership}, ${admitted} members)`];
  if (state.settings.rules) head.push(`Rules: ${inert(state.settings.rules)}`);
  const lines = posts.map((p) => {
    const by = `by ${inert(p.authorName)}, ${p.comments} comments`;
    return `${String(p.score).padStart(4)}  ${inert(p.title)}  ${by}  ${p.id.slice(0, 12)}`;
  });
  const comments: string[] = [];
  const walk = (nodes: readonly CommentNode[], depth: number) => {
    for (const { comment, replies } of nodes) {
      comments.push(
        `${'  '.repeat(depth)}${inert(name(comment.author))}: ${inert(comment.object.body)} (${comment.votes.score})`,
      );
      walk(replies, depth + 1);
    }
  };
  if (thread) walk(thread, 1);
  return [...head, ...(lines.length > 0 ? lines : ['No posts yet.']), ...comments].join('\n');
}

/** The names this home knows of the hive's people (from profiles it holds), by id. */
async function namesOf(context: CommandContext, state: Extract<HiveState, { exists: true }>) {
  const ids = new Set<PseudonymId>([state.owner, ...state.members.map((m) => m.id)]);
  const names = new Map<PseudonymId, string>();
  for (const p of context.device.pseudonyms.list()) names.set(p.id, p.name);
  for (const id of ids) {
    if (names.has(id)) continue;
    const found = await context.device.store.findProfileField(id, 'name');
    if (typeof found === 'string') names.set(id, found);
  }
  return names;
}
