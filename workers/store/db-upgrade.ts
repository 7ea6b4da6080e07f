/**
 * The core database's upgrade steps (db.ts opens it), one cumulative block
 * per version; a shipped block is never edited. The v7 block's data step
 * (vote-backfill.ts) is passed in when loaded: without it, meeting a
 * database older than v7 aborts the upgrade, changing nothing (db.ts then
 * loads it and opens again).
 */
import type { IDBPDatabase, IDBPTransaction, StoreNames } from 'idb';
import type { CoreSchema } from './db.ts';

export type BackfillVotes = typeof import('./vote-backfill.ts').backfillVotes;

/** Runs inside the versionchange transaction; `missing` is told when an old database needs `backfillVotes`. */
export function upgradeCoreDb(
  typedDb: IDBPDatabase<CoreSchema>,
  oldVersion: number,
  typedTx: IDBPTransaction<CoreSchema, StoreNames<CoreSchema>[], 'versionchange'>,
  backfillVotes: BackfillVotes | undefined,
  missing: () => void,
): void {
  // Untyped: earlier blocks name stores and indexes that later versions removed from the schema.
  const db = typedDb as unknown as IDBPDatabase;
  const transaction = typedTx as unknown as IDBPTransaction<unknown, string[], 'versionchange'>;
  if (oldVersion > 0 && oldVersion < 7 && !backfillVotes) {
    missing();
    // The open fails with AbortError (db.ts catches it) and the database stays as it was. The transaction's own
    // promise rejects too, and nothing else awaits it: handled here, or it is an unhandled rejection.
    typedTx.done.catch(() => undefined);
    transaction.abort();
    return;
  }
  // Cumulative blocks; a shipped block is never edited.
  if (oldVersion < 1) {
    db.createObjectStore('pseudonyms', { keyPath: 'id' });
    db.createObjectStore('blobs', { keyPath: 'id' });
    const commits = db.createObjectStore('commits', { keyPath: 'id' });
    commits.createIndex('byAuthor', ['author', 'seq']);
    db.createObjectStore('tips', { keyPath: 'author' });
    const posts = db.createObjectStore('posts', { keyPath: 'id' });
    posts.createIndex('byTs', 'ts');
    posts.createIndex('byAuthorTs', ['author', 'ts']);
    const follows = db.createObjectStore('follows', { keyPath: ['pseudonym', 'target'] });
    follows.createIndex('byTarget', 'target');
    db.createObjectStore('outbox', { keyPath: ['pseudonym', 'commitId'] });
    db.createObjectStore('meta', { keyPath: 'key' });
  }
  if (oldVersion < 2) {
    transaction.objectStore('posts').createIndex('byReplyTo', 'replyTo');
    db.createObjectStore('edits', { keyPath: ['target', 'id'] });
    db.createObjectStore('tombstones', { keyPath: ['target', 'author'] });
    db.createObjectStore('reactions', { keyPath: ['target', 'emoji', 'reactor'] }).createIndex('byReactor', 'reactor');
    db.createObjectStore('reposts', { keyPath: ['object', 'reposter'] }).createIndex('byReposter', 'reposter');
    db.createObjectStore('profiles', { keyPath: ['author', 'field'] });
    const timeline = db.createObjectStore('timeline', { keyPath: ['viewer', 'k', 'r'] });
    timeline.createIndex('byMedia', ['viewer', 'mk', 'r']);
    timeline.createIndex('byAuthor', ['viewer', 'author', 'k', 'r']);
    db.createObjectStore('pending', { keyPath: 'id' }).createIndex('byAuthor', 'author');
  }
  // v3: commit and post bytes live in their own rows (not also in blobs); the
  // post store is in timeline order. No user data existed before v3,
  // so the changed stores are simply recreated.
  if (oldVersion < 3) {
    for (const name of ['commits', 'posts', 'timeline'])
      if (db.objectStoreNames.contains(name)) db.deleteObjectStore(name);
    // Everything derived from the old commits goes with them (feeds are fetched again); keys and settings stay.
    for (const name of [
      'blobs',
      'tips',
      'follows',
      'outbox',
      'edits',
      'tombstones',
      'reactions',
      'reposts',
      'profiles',
      'pending',
    ]) {
      void transaction.objectStore(name).clear();
    }
    void transaction.objectStore('meta').delete(IDBKeyRange.bound('feed-log:', 'feed-log:\uffff'));
    db.createObjectStore('commits', { keyPath: 'id' });
    const posts = db.createObjectStore('posts', { keyPath: 'k' });
    posts.createIndex('byId', 'id', { unique: true });
    posts.createIndex('byAuthorTs', ['a', 'k']);
    posts.createIndex('byReplyTo', 'rt');
    posts.createIndex('media', 'tm', { multiEntry: true });
  }
  if (oldVersion < 4) {
    db.createObjectStore('privateUpdates', { keyPath: ['pseudonym', 'key'] });
    db.createObjectStore('privateSync', { keyPath: ['pseudonym'] });
  }
  if (oldVersion < 5) {
    // DMs, outgoing notices and notifications (inbox-rows.ts); versions 3 and 4 belong to other stores.
    db.createObjectStore('dms', { keyPath: ['owner', 'id'] }).createIndex('byPeer', ['owner', 'peer', 'ts']);
    db.createObjectStore('deliveries', { keyPath: ['owner', 'id'] });
    db.createObjectStore('notifications', { keyPath: ['owner', 'id'] }).createIndex('byTs', ['owner', 'ts']);
    db.createObjectStore('inboxCursors', { keyPath: ['owner', 'hub'] });
    db.createObjectStore('contacts', { keyPath: ['owner', 'peer'] });
  }
  if (oldVersion < 6) {
    // Ingested commits in packs (commit-packs.ts). Commit rows
    // already stored stay where they are: readers look in both.
    db.createObjectStore('packs', { keyPath: ['a', 'lo', 'first'] });
    db.createObjectStore('packBytes', { keyPath: ['a', 'lo', 'first'] });
  }
  if (oldVersion < 7) {
    // Votes (merged by the protocol, ignored before v7), and the edits of a version by its id. Nothing is removed.
    db.createObjectStore('votes', { keyPath: ['target', 'voter'] });
    transaction.objectStore('edits').createIndex('byVersion', 'id');
    // Votes in the commits held already: the versionchange transaction stays open while this awaits only IDB.
    if (backfillVotes) void backfillVotes(typedTx as unknown as Parameters<BackfillVotes>[0]);
  }
  if (oldVersion < 8) {
    // Search rows: empty here, filled from the posts and packs on first use (workers/search/search-index.ts).
    db.createObjectStore('search', { keyPath: 'k' }).createIndex('terms', 'w', { multiEntry: true });
  }
  if (oldVersion < 9) {
    // Search terms are indexed in memory (workers/search/term-index.ts), which reads the rows written since.
    const search = transaction.objectStore('search');
    search.deleteIndex('terms');
    search.createIndex('bySeq', 's');
    // Rows of the v8 shape (terms as a list) go; the first search writes them anew (SEARCH_VERSION 3).
    search.clear();
  }
}
