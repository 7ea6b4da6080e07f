/**
 * Revocation in the worker's store (PROTOCOL.md, Agents; the model is
 * feed-state.ts refusedCommits): which commits of a batch an agent signed
 * under a delegation its owner has revoked, so their ops make no rows. Pure.
 *
 * The store is closed under parents and a batch is in DAG order, so a commit
 * new to the store is never an ancestor of a revocation held before it: it is
 * refused. Within one batch, a revocation refuses the agent's commits that are
 * not its ancestors there (a reader catching up on "agent posts, then the
 * owner revokes" keeps the posts). Not covered yet: an agent commit held
 * before a revocation that does not descend from it (concurrent with it)
 * keeps its rows here, where the model and the command line refuse it.
 */
import type { Commit } from '../../src/protocol/commits.ts';
import type { CommitId } from '../../src/protocol/ids.ts';
import type { VerifiedCommit } from './apply-plan.ts';
import type { ProfileRow } from './db.ts';
import { revokedField, socialKey } from './social-plan.ts';

/**
 * @param profiles the profile rows held, keyed by socialKey(author, field); they hold the revocations
 *   (social-plan.ts revokedField), and socialKeysOf asks for each agent's.
 */
export function refusedInBatch(
  items: readonly VerifiedCommit[],
  profiles: ReadonlyMap<string, ProfileRow>,
): Set<CommitId> {
  const byId = new Map<CommitId, Commit>(items.map((i) => [i.signed.id, i.signed.commit]));
  const revokes = new Map<string, CommitId[]>();
  for (const [id, commit] of byId) {
    if (commit.agent?.delegation) continue;
    for (const op of commit.ops) {
      if (op.type !== 'revoke') continue;
      const key = socialKey(commit.author, revokedField(op.agent));
      revokes.set(key, [...(revokes.get(key) ?? []), id]);
    }
  }
  const refused = new Set<CommitId>();
  for (const [id, commit] of byId) {
    if (!commit.agent?.delegation) continue;
    const key = socialKey(commit.author, revokedField(commit.agent.id));
    const inBatch = revokes.get(key) ?? [];
    if (profiles.has(key) || (inBatch.length > 0 && !inBatch.some((r) => isAncestor(id, r, byId)))) refused.add(id);
  }
  return refused;
}

/** Whether `ancestor` is reached from `of` through parents within the batch. */
function isAncestor(ancestor: CommitId, of: CommitId, byId: ReadonlyMap<CommitId, Commit>): boolean {
  const seen = new Set<CommitId>();
  const stack = [...(byId.get(of)?.parents ?? [])];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (id === ancestor) return true;
    if (seen.has(id)) continue;
    seen.add(id);
    stack.push(...(byId.get(id)?.parents ?? []));
  }
  return false;
}
