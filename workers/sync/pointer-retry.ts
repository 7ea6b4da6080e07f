/**
 * The signed pointer a move owes the hub it left (PROTOCOL.md, Moving hubs).
 * A move records the pointer as owed before it tries that hub, and settles
 * it once the hub's head is the pointer; a hub that could not be reached
 * then is tried again after each later sync run of the pseudonym, until it
 * takes it. The pointer goes alone: its commit and those below it that the
 * hub lacks, under a head naming just it; with our feed log only while the
 * pointer is our newest commit (later, the log lists commits that hub is
 * never sent). Records and storage are parameters (OwedPointers), so the
 * command line runs the same retry.
 */
import type { PseudonymId } from '../../src/protocol/ids.ts';
import type { OwedPointers, PointerOwed } from '../keys/key-source.ts';
import { type ReplicaDeps, replicateTo } from './replicate.ts';
import { errorName } from '../errors.ts';

const UNREACHABLE = new Set(['Offline', 'HubUnavailable']);

export type PointerRetryDeps = ReplicaDeps & { readonly owed: OwedPointers };

/**
 * Puts `owed.pointer` as `pseudonym`'s head on `owed.hub`, and settles the record once the hub holds it.
 * @returns whether the pointer is that hub's head now (false: the hub held commits of ours this device lacked; they
 *   were pulled, and the record stays for the next try)
 * @throws what the hub or the network throws; the record stays
 */
export async function leavePointer(
  deps: PointerRetryDeps,
  pseudonym: PseudonymId,
  home: string,
  owed: PointerOwed,
): Promise<boolean> {
  const seq = (await deps.store.findCommitSeqs(pseudonym, [owed.pointer])).get(owed.pointer);
  if (seq === undefined) {
    // Never the case for a pointer this device made; a record naming no held commit has nothing to leave.
    await deps.owed.settle(pseudonym, owed.hub);
    return false;
  }
  // Our log reaches exactly the pointer while it is our newest commit (the move itself): then it goes too.
  const withLog = (await deps.store.findTips(pseudonym))?.heads.join() === owed.pointer;
  const tips = { heads: [owed.pointer], seq };
  const outcome = await replicateTo(deps, pseudonym, home, owed.hub, tips, undefined, { withLog });
  if (outcome === 'synced') await deps.owed.settle(pseudonym, owed.hub);
  return outcome === 'synced';
}

/**
 * Tries every pointer `pseudonym` still owes. Never throws: a hub that still does not answer (or refuses) keeps
 * its record, and is tried after the next sync run; no timer of its own, so a hub gone for good costs one failed
 * request per run, never a loop.
 * @returns the hubs that took their pointer now
 */
export async function leaveOwedPointers(
  deps: PointerRetryDeps,
  pseudonym: PseudonymId,
  home: string,
): Promise<string[]> {
  const left: string[] = [];
  for (const owed of await deps.owed.list(pseudonym)) {
    try {
      if (await leavePointer(deps, pseudonym, home, owed)) left.push(owed.hub);
    } catch (error) {
      // Unreachable is what a pending pointer expects; anything else is worth a line in the log.
      if (!UNREACHABLE.has(errorName(error))) console.warn(`murmur: the pointer owed to ${owed.hub} waits`, error);
    }
  }
  return left;
}
