/**
 * Catch-up's decisions, pure: how many commits a head makes us expect, which
 * of a feed log's segment to ask for and whether to read the one before it,
 * whether the walked tips agree with the head's seq, which waiting commits to
 * keep, and which hub to ask (or stream) for which followed feeds. ingest.ts,
 * feeds.ts and sync/live.ts run them against the store and the hubs.
 */
import type { FeedLog } from '../../src/protocol/feed-log.ts';
import type { CommitId, ObjectId, PseudonymId } from '../../src/protocol/ids.ts';

/**
 * Log segments a catch-up reads before it stops, unless the ids listed so far are still fewer than the commits
 * the head says are new (segmentStep): a gap the reading leaves is walked by parents, one request per commit, so
 * a cap alone made a first follow of a feed of more than 64 full segments (65,536 commits) walk the rest at a
 * round trip a commit (490 s for 100,000 commits in the cold start bench).
 */
export const MAX_SEGMENTS = 64;

/**
 * Commits a head says are new: at least one per seq above ours, however they arrive (the progress total's floor).
 * Never below 0: a head behind ours is a hub that has not caught up, not a negative amount of work.
 */
export function expectedCommits(headSeq: number, tips: { readonly seq: number } | undefined): number {
  return Math.max(0, headSeq - (tips?.seq ?? 0));
}

/** What one segment of the feed log says to do. */
export interface SegmentStep {
  /** The commits it lists that we do not hold, to fetch; undefined when the segment is not this feed's. */
  readonly missing: readonly CommitId[] | undefined;
  /** The segment to read next; undefined when the reading ends here. */
  readonly next: ObjectId | undefined;
}

/**
 * One segment of `author`'s log, read as the `index`-th (0 for the head's). The log is a hint: a segment that
 * names another author ends the reading with nothing; one listing a commit we hold is the last (what is older is
 * held); past MAX_SEGMENTS, once the segments read list as many ids as the head says are new, the parent walk
 * does the rest.
 * @param held the listed commits we hold (any that the store found)
 * @param listed ids the segments before this one listed
 * @param expected commits the head says are new (expectedCommits)
 */
export function segmentStep(
  log: FeedLog,
  author: PseudonymId,
  held: ReadonlySet<CommitId> | ReadonlyMap<CommitId, unknown>,
  index: number,
  listed = 0,
  expected = 0,
): SegmentStep {
  if (log.author !== author) return { missing: undefined, next: undefined };
  const missing = log.commits.filter((id) => !held.has(id));
  const short = listed + log.commits.length < expected && log.commits.length > 0;
  const last = held.size > 0 || (index + 1 >= MAX_SEGMENTS && !short);
  return { missing, next: last ? undefined : log.prev };
}

/**
 * The seq the walked tips give, when it disagrees with the head's (a BadSeq refusal); undefined when they agree,
 * or when some commits wait for parents no hub had (then the tips' seqs are not all known and nothing is judged).
 */
export function headSeqMismatch(
  headSeq: number,
  tipSeqs: ReadonlyMap<CommitId, number>,
  waiting: number,
): number | undefined {
  if (waiting > 0) return undefined;
  const tipSeq = tipSeqs.size === 0 ? Number.NEGATIVE_INFINITY : Math.max(...tipSeqs.values());
  return tipSeq === headSeq ? undefined : tipSeq;
}

/**
 * The pending store after a walk: commits still waiting for parents are kept; those that waited before and are
 * stored now are forgotten. Nothing else is touched (another feed's waiting commits stay).
 */
export function pendingAfter(
  waiting: readonly { readonly id: CommitId; readonly bytes: Uint8Array }[],
  stored: readonly CommitId[],
  pendingBefore: ReadonlySet<CommitId>,
): { readonly keep: readonly { readonly id: CommitId; readonly bytes: Uint8Array }[]; readonly forget: CommitId[] } {
  return { keep: waiting, forget: stored.filter((id) => pendingBefore.has(id)) };
}

/**
 * The hubs to read a followed feed from: those its newest profile op names (the author's signed word, PROTOCOL.md
 * Moving hubs) first, then the follow op's hints, each once. A profile value that is not a list of strings (never
 * from a verified op) is ignored.
 */
export function readHubs(profileHubs: unknown, followHubs: readonly string[]): string[] {
  const signed = Array.isArray(profileHubs) ? profileHubs.filter((h): h is string => typeof h === 'string') : [];
  return [...new Set([...signed, ...followHubs])];
}

/**
 * Which hub to ask for which followed feeds: each active follow not blocked, by its first hub (the one its follow
 * op named first), one heads request per hub; a follow with no hub is skipped (nowhere to ask).
 */
export function followsByHub(
  follows: readonly { readonly target: PseudonymId; readonly hubs: readonly string[]; readonly active: boolean }[],
  blocked: ReadonlySet<PseudonymId>,
): Map<string, PseudonymId[]> {
  const byHub = new Map<string, PseudonymId[]>();
  for (const follow of follows) {
    const hub = follow.hubs[0];
    if (!follow.active || blocked.has(follow.target) || !hub) continue;
    byHub.set(hub, [...(byHub.get(hub) ?? []), follow.target]);
  }
  return byHub;
}

/**
 * The live streams of the pseudonym on screen, by hub: itself on its home hub (to hear its other devices) and each
 * active, unblocked follow on the follow's first hub; each author once per hub, in the order found.
 */
export function streamsByHub(
  pseudonym: PseudonymId,
  home: string,
  follows: readonly { readonly target: PseudonymId; readonly hubs: readonly string[]; readonly active: boolean }[],
  blocked: ReadonlySet<PseudonymId>,
): Map<string, PseudonymId[]> {
  const byHub = new Map<string, PseudonymId[]>([[home, [pseudonym]]]);
  for (const [hub, authors] of followsByHub(follows, blocked)) {
    const list = byHub.get(hub) ?? [];
    for (const author of authors) if (!list.includes(author)) list.push(author);
    byHub.set(hub, list);
  }
  return byHub;
}
