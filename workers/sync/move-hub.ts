/**
 * Moving a pseudonym's feed to a new home hub (PROTOCOL.md, Moving hubs), as
 * one sequence over the same pieces sync uses: the new hub must answer; the
 * handle is claimed there (first, so a taken name stops the move before
 * anything is copied); the whole feed is copied (replicateTo, as to any other
 * hub); then a profile commit naming the new hubs is made, the keyring's
 * home becomes the new hub, the outbox pushes the commit there, and it is
 * copied to the old hub too, where it stays the head: a signed pointer every
 * reader of the old hub follows (feeds.ts withProfileHubs, pointer.ts). An old
 * hub that cannot be reached is owed the pointer, left by a later sync
 * (pointer-retry.ts). Storage, keys and the keyring's update are parameters,
 * so a Node client runs the same move.
 */
import type { PseudonymId } from '../../src/protocol/ids.ts';
import type { MoveOutcome, MoveProgress } from '../api/api-types.ts';
import { OP_LIMITS } from '../../src/protocol/ops.ts';
import type { KeyedLock } from '../../src/runtime/keyed-lock.ts';
import { CoreError, errorName } from '../errors.ts';
import { putHandleClaim } from '../feed/handle-lookup.ts';
import { commitOwn } from '../feed/local-commits.ts';
import { getHubsOf } from '../keys/key-source.ts';
import { parseHubOrigin } from '../keys/hub-origin.ts';
import { replicateTo } from './replicate.ts';
import { type PointerRetryDeps, leavePointer } from './pointer-retry.ts';

export type MoveDeps = PointerRetryDeps & {
  /** Shared with every other commit path of this device (the pointer is a local commit). */
  readonly locks: KeyedLock;
  /** Records the pseudonym's hubs (home first) and its handle on this device. */
  readonly setHome: (pseudonym: PseudonymId, hubs: readonly string[], handle: string | undefined) => Promise<void>;
  /** Pushes what is queued to the (new) home hub now; resolves when that run ends. */
  readonly pushHome: (pseudonym: PseudonymId) => Promise<void>;
};

const UNREACHABLE = new Set(['Offline', 'HubUnavailable']);

/**
 * Moves `pseudonym`'s feed to `to` (an origin).
 * @throws CoreError HubUnreachable (nothing changed), InvalidField (not a hub address, or already home), Forbidden
 *         (an agent's device);
 *         ProtocolError HandleTaken (the name is someone else's there; nothing changed); as sync otherwise.
 */
export async function moveHub(
  deps: MoveDeps,
  pseudonym: PseudonymId,
  to: string,
  onProgress: (progress: MoveProgress) => void = () => {},
): Promise<MoveOutcome> {
  // The owner's act: an agent's key must not claim the handle or sign the pointer (nor a half move be left).
  if (await deps.keys.findAgent?.(pseudonym))
    throw new CoreError('Forbidden', 'only the owner moves a feed to another hub, not an agent acting for it');
  const target = parseHubOrigin(to);
  const { home, others } = await getHubsOf(deps.keys, pseudonym);
  if (target === home) throw new CoreError('InvalidField', `${target} is already the home hub`, { field: 'hub' });
  await reachable(target, () => deps.hub(target, pseudonym).getHeads([pseudonym]));

  onProgress({ step: 'claiming' });
  const oldHandle = await deps.keys.findHandle(pseudonym);
  const handle =
    oldHandle === undefined
      ? undefined
      : await reachable(target, async () =>
          putHandleClaim(deps.hub, await deps.keys.getSecretKey(pseudonym), target, nameOf(oldHandle), deps.now()),
        );

  const tips = await deps.store.findTips(pseudonym);
  onProgress({ step: 'copying', done: 0, total: 0 });
  if (tips) {
    await reachable(target, () =>
      replicateTo(deps, pseudonym, home, target, tips, (done, total) => onProgress({ step: 'copying', done, total })),
    );
  }

  onProgress({ step: 'pointing' });
  const hubs = [target, ...others.filter((h) => h !== target)];
  const pointer = await commitOwn(deps, pseudonym, () => ({
    ops: [{ type: 'profile', hubs: hubs.slice(0, OP_LIMITS.hubs) }],
    posts: [],
  }));
  // Owed before it is tried: if the old hub does not take it now (or this stops here), later syncs leave it.
  await deps.owed.put(pseudonym, { hub: home, pointer: pointer.id });
  await deps.setHome(pseudonym, hubs, handle ?? oldHandle);
  await deps.pushHome(pseudonym);
  let pointerLeft = false;
  try {
    // false: the old hub held commits of ours from another device; they are merged, not hidden by a pointer.
    pointerLeft = await leavePointer(deps, pseudonym, target, { hub: home, pointer: pointer.id });
  } catch (error) {
    if (!UNREACHABLE.has(errorName(error))) throw error;
  }
  return { hubs, ...(handle !== undefined && { handle }), pointerLeft };
}

/** The handle's name (before the @). */
function nameOf(handle: string): string {
  return handle.slice(0, handle.lastIndexOf('@'));
}

/** Runs `step` against the new hub; a hub that cannot be reached there is named as such. */
async function reachable<T>(target: string, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    if (!UNREACHABLE.has(errorName(error))) throw error;
    throw new CoreError('HubUnreachable', `${target} could not be reached, or did not answer as a hub`, {
      hub: target,
    });
  }
}
