/**
 * Who follows a pseudonym, as far as this device knows, for approving the
 * readers of its `followers` posts: the senders of the follow notices its
 * inbox verified, the held feeds whose newest follow names it, and everyone
 * it approved already (an approval outlives an unfollow until taken off:
 * the author decides, PROTOCOL.md, Audiences). Each comes with the name and
 * handle this device knows them by and whether it holds their DM key, since
 * a post is sealed to that key.
 */
import type { PseudonymId } from '../../src/protocol/ids.ts';
import type { FollowerView } from '../api/api-types.ts';
import type { CoreStore } from '../store/core-store.ts';
import { findHandleOf } from './contacts.ts';

/** Notifications read per page while looking for follows. */
const PAGE = 500;

export async function listFollowersOf(
  store: CoreStore,
  owner: PseudonymId,
  approved: readonly { readonly value: PseudonymId; readonly at: number }[],
  blocked: ReadonlySet<PseudonymId> = new Set(),
): Promise<FollowerView[]> {
  const since = new Map<PseudonymId, number>();
  const seen = (id: PseudonymId, at: number) => since.set(id, Math.min(since.get(id) ?? at, at));
  for (let before: number | undefined; ; ) {
    const page = await store.listNotifications(owner, { limit: PAGE, ...(before !== undefined && { before }) });
    for (const n of page) if (n.kind === 'follow') seen(n.from, n.ts);
    if (page.length < PAGE) break;
    before = page.at(-1)!.ts;
  }
  const following = new Set(await store.listFollowers(owner));
  for (const id of following) seen(id, since.get(id) ?? 0);
  const approvedAt = new Map(approved.map((e) => [e.value, e.at]));
  for (const [id, at] of approvedAt) seen(id, at);
  const people = [...since].filter(([id]) => id !== owner && !blocked.has(id));
  const views = await Promise.all(
    people.map(async ([id, at]): Promise<FollowerView> => {
      const [name, dmKey, handle] = await Promise.all([
        store.findProfileField(id, 'name'),
        store.findProfileField(id, 'dm_key'),
        findHandleOf(store, owner, id),
      ]);
      return {
        id,
        ...(handle !== undefined && { handle }),
        ...(typeof name === 'string' && { name }),
        approved: approvedAt.has(id),
        canRead: typeof dmKey === 'string',
        since: at,
      };
    }),
  );
  // Waiting first (newest first), then the approved by name: a list to act on, never ranked.
  return views.sort(
    (a, b) =>
      Number(a.approved) - Number(b.approved) ||
      (a.approved ? (a.name ?? a.handle ?? a.id).localeCompare(b.name ?? b.handle ?? b.id) : b.since - a.since),
  );
}
