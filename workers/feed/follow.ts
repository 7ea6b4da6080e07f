/**
 * Following by handle: resolve it (verified WebFinger claim), record a follow
 * commit in the follower's feed (unless that exact follow is already in
 * force), then fetch the followed feed. A small feed's posts show at once; a
 * long one (thousands of commits) goes on in the background with its progress
 * on the sync badge, so the follow dialog never waits minutes.
 */
import type { SignedCommit } from '../../src/protocol/commits.ts';
import type { PseudonymId } from '../../src/protocol/ids.ts';
import { sleep } from '../../src/runtime/sleep.ts';
import type { CoreDb } from '../store/db.ts';
import { CoreError } from '../errors.ts';
import type { Feeds } from './feeds.ts';
import { type HandleDeps, resolveHandle } from './handles.ts';
import { getPseudonym } from '../keys/keyring.ts';
import { type LocalDeps, commitFollow } from './local-commits.ts';

export interface FollowDeps extends HandleDeps, LocalDeps {
  readonly db: CoreDb;
  readonly feeds: Feeds;
  /** How long to wait for the catch-up before answering. */
  readonly waitMs: number;
  /** The follow commit was stored: tell the followed (a follow notice; never throws). */
  readonly noticed?: (commit: SignedCommit) => Promise<void>;
}

/**
 * @returns the followed pseudonym's id.
 * @throws ProtocolError InvalidField, NotFound, BadSignature, WrongAuthor, WrongHost; CoreError Offline
 */
export async function followHandle(deps: FollowDeps, pseudonym: PseudonymId, handle: string): Promise<PseudonymId> {
  await getPseudonym(deps.db, pseudonym);
  // The catch-up below reads the head anyway, and a pointer there leads it to the new home (feeds.ts update).
  const resolved = await resolveHandle(deps, handle, { followPointer: false, as: pseudonym });
  if (resolved.target === pseudonym)
    throw new CoreError('InvalidField', 'that handle is this pseudonym', { field: 'handle' });
  const current = await deps.db.get('follows', [pseudonym, resolved.target]);
  const inForce = current?.active && current.handle === resolved.handle && current.hubs[0] === resolved.hub;
  if (!inForce) {
    const follow = { target: resolved.target, handle: resolved.handle, hubs: [resolved.hub] };
    await deps.noticed?.(await commitFollow(deps, pseudonym, follow));
  }
  const catchUp = deps.feeds.update(resolved.target, [resolved.hub], { forPseudonym: pseudonym }); // never throws
  const caughtUp = new AbortController(); // ends the wait's timer once the catch-up wins the race
  await Promise.race([catchUp, sleep(deps.waitMs, caughtUp.signal)]);
  caughtUp.abort();
  return resolved.target;
}
