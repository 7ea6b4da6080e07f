/**
 * The feed log of one's own feed (src/protocol/feed-log.ts): before a push,
 * the queued commits not yet listed are appended, oldest first by seq, the
 * new segment blobs stored, and the newest segment's id kept in meta, all in
 * one transaction with the outbox rows marked as listed (what to list, in
 * which order, is own-log-plan.ts's). The push carries the
 * segments and the head names the newest one, so a reader catches up in
 * about N/1024 + N/512 round trips instead of one per commit.
 */
import { type FeedLog, appendToFeedLog, decodeFeedLog } from '../../src/protocol/feed-log.ts';
import type { CommitId, ObjectId, PseudonymId } from '../../src/protocol/ids.ts';
import type { BuiltObject } from '../../src/protocol/objects.ts';
import { type CoreDb, blobRowOf } from './db.ts';
import { commitsToList, segmentsToCarry } from './own-log-plan.ts';

const metaKey = (pseudonym: PseudonymId) => `feed-log:${pseudonym}`;

/** The id of the newest segment of our own log, if we keep one yet. */
export async function findOwnLog(db: CoreDb, pseudonym: PseudonymId): Promise<ObjectId | undefined> {
  return (await db.get('meta', metaKey(pseudonym)))?.value as ObjectId | undefined;
}

/**
 * Lists `commits` (queued, own) in the log unless listed already.
 * @returns the segment ids a push must carry (the newest and the one before it).
 */
export async function appendOwnLog(
  db: CoreDb,
  pseudonym: PseudonymId,
  commits: readonly CommitId[],
): Promise<ObjectId[]> {
  const tx = db.transaction(['meta', 'blobs', 'outbox'], 'readwrite');
  const outbox = tx.objectStore('outbox');
  const [rows, meta] = await Promise.all([
    Promise.all(commits.map((id) => outbox.get([pseudonym, id]))),
    tx.objectStore('meta').get(metaKey(pseudonym)),
  ]);
  const current = meta ? await tx.objectStore('blobs').get(meta.value as ObjectId) : undefined;
  let log: BuiltObject<FeedLog> | undefined = current ? decodeFeedLog(current.bytes, current.id) : undefined;
  const fresh = commitsToList(rows);
  if (fresh.length > 0) {
    const segments = appendToFeedLog(
      pseudonym,
      log,
      fresh.map((r) => r.commitId),
    );
    for (const s of segments) void tx.objectStore('blobs').put(blobRowOf(s.id, s.bytes));
    log = segments.at(-1)!;
    void tx.objectStore('meta').put({ key: metaKey(pseudonym), value: log.id });
    for (const r of fresh) void outbox.put({ ...r, logged: true });
  }
  await tx.done;
  return segmentsToCarry(log);
}
