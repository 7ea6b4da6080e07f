// For the worker bench's pages (worker-page.ts, timeline-page.ts): the one
// viewing pseudonym and a fresh database in which it follows some feeds.
import { deleteDB } from 'idb';
import { buildCommit } from '../../src/protocol/commits.ts';
import type { CommitId, PseudonymId } from '../../src/protocol/ids.ts';
import { pseudonymOf, secretKeyFrom } from '../../src/protocol/keys.ts';
import { applyCommits } from '../../workers/store/commit-store.ts';
import { type CoreDb, openCoreDb } from '../../workers/store/db.ts';

const viewerKey = secretKeyFrom(new Uint8Array(32).fill(77));
export const viewer = pseudonymOf(viewerKey);

/** A fresh database holding the viewer, who follows `targets` (so ingest maintains timeline rows). */
export async function viewerDb(name: string, targets: readonly PseudonymId[], hub: string): Promise<CoreDb> {
  await deleteDB(name);
  const db = await openCoreDb(name);
  await db.put('pseudonyms', { id: viewer, name: 'Viewer', hubs: [hub], createdAt: 0, secretKey: viewerKey });
  let parents: CommitId[] = [];
  for (let i = 0; i < targets.length; i += 64) {
    const ops = targets.slice(i, i + 64).map((target) => ({ type: 'follow' as const, target, hubs: [hub] }));
    const signed = buildCommit(viewerKey, { parents, seq: i / 64 + 1, ts: 1, ops });
    await applyCommits(db, [{ signed, blobs: [], posts: [] }]);
    parents = [signed.id];
  }
  return db;
}
