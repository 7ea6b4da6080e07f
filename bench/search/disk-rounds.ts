/**
 * The search bench's disk measure (bench/search.bench.ts): what the browser
 * really stores per post, the same posts seeded in a fresh Chromium profile
 * each time with the search store written as the app writes it, not at all
 * (the baseline: everything else the app stores), or with a record per term and post besides
 * (the positive control). The origin's IndexedDB folder is summed after an
 * empty core database is made and the browser closed, and again after the
 * posts are stored, the browser closed, and the profile opened once more and
 * closed (so the files are whole and LevelDB's log is written into a table).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SearchWrites } from '../browser/search-page.ts';
import { indexedDbBytes, openPersistent } from '../worker/disk-bytes.ts';

export type { SearchWrites };

/** Bytes on disk per post of `feeds` x `perFeed` posts stored with the search store written as `mode`. */
export async function diskPerPost(code: string, feeds: number, perFeed: number, mode: SearchWrites): Promise<number> {
  const url = 'http://localhost/';
  const profile = await mkdtemp(join(tmpdir(), 'murmur-search-profile-'));
  try {
    let { context, call } = await openPersistent(profile, url, code);
    await call('openEmptyDisk');
    await context.close();
    const before = indexedDbBytes(profile);
    ({ context, call } = await openPersistent(profile, url, code));
    const { posts } = await call<{ posts: number }>('seedDisk', feeds, perFeed, mode);
    await context.close();
    // Opened once more and closed: LevelDB writes what its log still holds into a table when it opens a
    // database, so both sides are measured settled, not with a log of a size that depends on when it rolled.
    ({ context, call } = await openPersistent(profile, url, code));
    await call('openEmptyDisk');
    await context.close();
    const after = indexedDbBytes(profile);
    if (after <= before) throw new Error(`no IndexedDB folder grew under ${profile}`);
    return (after - before) / posts;
  } finally {
    await rm(profile, { recursive: true, force: true });
  }
}
