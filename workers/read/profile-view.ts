/**
 * A feed's profile as one viewer sees it: its profile fields (last writer
 * wins per field, from the profiles store), the handle the viewer knows it
 * by, counts derived from the DAG held here, a 364-day activity array, and
 * its agents: those that signed a commit held here under the feed's
 * delegation (social-plan.ts agentField), and those a revoke op of the feed
 * names (revokedField).
 */
import type { ObjectId, PseudonymId } from '../../src/protocol/ids.ts';
import { currentHandle } from '../../src/protocol/handle-names.ts';
import type { ProfileAgent, ProfileView } from '../api/api-types.ts';
import type { CoreDb, PostRow, ProfileRow } from '../store/db.ts';
import { agentField, revokedField } from '../store/social-plan.ts';
import { tsOf } from '../store/post-rows.ts';
import { authorRange } from '../store/post-rows.ts';
import { packedPostTimes } from '../store/lazy-posts.ts';

const DAY_MS = 86_400_000;
export const ACTIVITY_DAYS = 364;

/** Undefined when nothing of that feed is held (no commit, no profile). */
export async function findProfile(
  db: CoreDb,
  viewer: PseudonymId,
  author: PseudonymId,
  now: number,
): Promise<ProfileView | undefined> {
  const tx = db.transaction(['tips', 'profiles', 'follows', 'posts', 'reactions', 'pseudonyms']);
  const today = Math.floor(now / DAY_MS);
  const first = (today - ACTIVITY_DAYS + 1) * DAY_MS;
  const [tips, fields, following, followers, posts, reactions, viewerFollow, self] = await Promise.all([
    tx.objectStore('tips').get(author),
    tx.objectStore('profiles').getAll(IDBKeyRange.bound([author], [author, []])),
    tx.objectStore('follows').getAll(IDBKeyRange.bound([author], [author, []])),
    tx.objectStore('follows').index('byTarget').getAll(author),
    tx.objectStore('posts').index('byAuthorTs').getAll(authorRange(author)),
    tx.objectStore('reactions').index('byReactor').getAll(author),
    tx.objectStore('follows').get([viewer, author]),
    tx.objectStore('pseudonyms').get(author),
  ]);
  if (!tips && fields.length === 0) return undefined;
  const field = new Map(fields.map((f) => [f.field, f.value]));
  const activity = new Array<number>(ACTIVITY_DAYS).fill(0);
  // Posts with rows, and those only packs hold yet (lazy-posts.ts: never deleted, or they would have rows).
  const times = [
    ...posts.filter((p) => !p.del && p.text !== undefined).map(tsOf),
    ...(await packedPostTimes(db, author)),
  ];
  for (const ts of times) {
    if (ts >= first && ts < (today + 1) * DAY_MS) activity[Math.floor(ts / DAY_MS) - (today - ACTIVITY_DAYS + 1)]!++;
  }
  const postCount = times.length;
  // Another's handle as followed, on the hub its newest signed profile names (it may have moved since).
  const handle =
    viewer === author ? self?.handle : currentHandle(viewerFollow?.handle ?? self?.handle, field.get('hubs'));
  const str = (k: string) => (typeof field.get(k) === 'string' ? (field.get(k) as string) : undefined);
  const name = str('name');
  const bio = str('bio');
  const avatar = str('avatar') as ObjectId | undefined;
  const links = field.get('links');
  const topics = field.get('topics');
  return {
    id: author,
    ...(handle !== undefined && { handle }),
    ...(name !== undefined && { name }),
    ...(bio !== undefined && { bio }),
    ...(avatar !== undefined && { avatar }),
    ...(Array.isArray(links) && { links: links as string[] }),
    ...(Array.isArray(topics) && topics.length > 0 && { topics: topics as string[] }),
    counts: {
      following: following.filter((f) => f.active).length,
      followersSeen: followers.filter((f) => f.active).length,
      posts: postCount,
      reactions: reactions.filter((r) => r.on).length,
    },
    activity,
    followed: viewerFollow?.active === true,
    agents: agentsOf(fields, posts),
  };
}

/**
 * The feed's delegated agents and its revocations, by their profile rows; and, for rows stored before agents
 * had profile rows, by the verified agent of its posts' rows (only counted commits have those).
 */
function agentsOf(fields: readonly ProfileRow[], posts: readonly PostRow[]): ProfileAgent[] {
  const agents = new Map<PseudonymId, ProfileAgent>();
  const [listed, revoked] = [agentField('' as PseudonymId), revokedField('' as PseudonymId)];
  for (const { field, value } of fields) {
    if (!field.startsWith(listed)) continue;
    const { model, name } = value as { model: string; name?: string };
    const id = field.slice(listed.length) as PseudonymId;
    agents.set(id, { id, model, ...(name !== undefined && { name }), revoked: false });
  }
  for (const { ag } of posts) {
    if (!ag?.delegated || agents.has(ag.id)) continue;
    agents.set(ag.id, { id: ag.id, model: ag.model, ...(ag.name !== undefined && { name: ag.name }), revoked: false });
  }
  for (const { field } of fields) {
    if (!field.startsWith(revoked)) continue;
    const id = field.slice(revoked.length) as PseudonymId;
    agents.set(id, { ...(agents.get(id) ?? { id }), revoked: true });
  }
  return [...agents.values()];
}
