/** The notes under bench/worker.bench.ts's section of BENCHMARKS.md: what each row measures, and how. */
import { ROWS_AT_ONCE } from '../../workers/store/lazy-posts.ts';
import type { DiskBytes } from './disk-bytes.ts';

const n = (x: number) => x.toLocaleString('en-US');

export function workerNotes(o: {
  workers: number;
  commits: number;
  warm: number;
  feeds: number;
  perFeed: number;
  disk: DiskBytes;
}): string {
  const { estimate } = o.disk;
  return (
    `Measured on 2 cores shared with other work (other sessions' tests and builds ran meanwhile): the figures ` +
    `are noisy, the spreads beside them say how much. ` +
    `Ingest: the hub is the built hub in its own process, on 127.0.0.1, sharing the cores with Chromium. Each ` +
    `round runs in a fresh page (its own context; rounds in one page slowed down one after another), which ` +
    `verifies 2,000 commit signatures raw untimed on its thread and on the workers, ingests another author's ` +
    `${n(o.warm)}-commit feed untimed (so the timed ingest runs compiled code, as the timed raw verify does), ` +
    `times both raw baselines again, then ingests into a fresh database whose one pseudonym follows the feed, so ` +
    `timeline rows are built during ingest; the feed is one chain of one-post commits with a feed log (1,024 ids ` +
    `per segment). Ingest checks signatures as the core worker does, on ${o.workers} verify workers ` +
    `(workers/verify/verify-pool.ts) while the page's thread fetches, hashes and decodes. The goal is read ` +
    `against raw verifies on as many workers (each imports the key once and verifies its share of the 2,000 ` +
    `signatures at once; timed from the first message to the last answer): the same cores doing only the ` +
    `signature checks. The row beside one thread's raw verifies is the comparison this section used to make. ` +
    `The control ingests again in the same page with each signature verified three times over (three calls of ` +
    `the same pooled verify): it must say no. A first catch-up gives rows to the newest ${ROWS_AT_ONCE} posts ` +
    `and keeps the older ones in the commit packs until a read reaches them (workers/store/lazy-posts.ts); ` +
    `each round checks ` +
    `that rows and packed posts add up to every post, and reads the whole feed back to its end (the reading row), ` +
    `which must show every post once. The floor row writes the rows the round's ingest stored into a fresh ` +
    `database in one relaxed transaction: what storage alone costs. ` +
    `First page: each store in a fresh page (off the record: IndexedDB in memory, as for every page of this ` +
    `bench but the disk measure), seeded through the ingest write path without signatures (the store never ` +
    `reads them); 11 alternating rounds of 20 calls after 5 untimed. The easy store is ${o.feeds} feeds x ` +
    `${o.perFeed} posts, all followed (applyCommits). The realistic store holds every feed as a first catch-up ` +
    `stores it (storeWalked: rows for the newest ${ROWS_AT_ONCE} posts, the rest in packs), most feeds not ` +
    `followed (their rows are in the same post store and a page skips them), mutes applied as the API applies them ` +
    `(filterTimeline refills a page from further pages; the private state's read is not timed), and the long ` +
    `feeds' lazy marks read on every page; its seed checks that the first page is the newest 50 posts of the ` +
    `followed, unmuted feeds. Each control reads the same page by scanning the post rows (getAll, filtered in key ` +
    `order), 3 rounds of one call: it must say no. ` +
    `Bytes: ${n(o.disk.posts)} posts stored as the easy store is, in Chromium with a profile folder of its own ` +
    `(a persistent context) at a fresh origin; the folder row sums the files of its IndexedDB folders after an ` +
    `empty core database was made and the browser closed, and again after the posts were stored and the browser ` +
    `closed, per post; this is what the goal reads. Beside it, navigator.storage.estimate()'s usage, read in the ` +
    `page before and after, and the old JavaScript estimate of the rows' fields over 2,000 posts: blob rows ` +
    `${estimate.blobs.toFixed(0)} B, commit's share of its pack ${estimate.commitRows.toFixed(0)} B, post row ` +
    `${estimate.postRows.toFixed(0)} B (of which the viewers seeing it ${estimate.viewers.toFixed(0)} B; strings ` +
    `as UTF-8, numbers as 8 bytes, field names included), which cannot see IndexedDB's index entries (byId, ` +
    `byAuthorTs, byReplyTo, media) or its file format. The control stores the same posts in another fresh ` +
    `profile and adds one index on the post store (its text) before the browser closes: it must say no.`
  );
}
