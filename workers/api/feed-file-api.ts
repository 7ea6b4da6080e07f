/**
 * The whole feed as one file, for the UI (src/protocol/feed-file.ts; the
 * command line's `export-feed` and `import-feed` write and read the same
 * bytes): exportFeed gives a Blob the page downloads; importFeed takes the
 * File the person picked, verifies all of it from its stream (changing
 * nothing), then applies it as the pseudonym's own, queued for its home hub
 * (workers/feed/feed-file-io.ts), and merges its private state. The key goes in the file only when a
 * passphrase is given, sealed by it as the app's backup file.
 */
import * as Y from 'yjs';
import { encodeFeedFile } from '../../src/protocol/feed-file.ts';
import type { PseudonymId } from '../../src/protocol/ids.ts';
import type { Verify } from '../../src/protocol/keys.ts';
import { derivePrivateKeys, openPrivate, sealPrivate } from '../../src/protocol/private-seal.ts';
import { ProtocolError } from '../../src/protocol/errors.ts';
import { CoreError, asResult } from '../errors.ts';
import { feedFileCommits, importFeedFile, listFeedInOrder } from '../feed/feed-file-io.ts';
import { backupFileName, decodeBackup, encodeBackup } from '../keys/backup.ts';
import { type Random, getPseudonym, getSecretKey, importPseudonymRow, summaryOf } from '../keys/keyring.ts';
import type { ScryptParams } from '../keys/passphrase.ts';
import type { PrivateDocs } from '../private/docs.ts';
import type { FeedStore } from '../store/core-store.ts';
import type { CoreDb } from '../store/db.ts';
import type { Change, CoreApi, FeedFileProgress } from './api-types.ts';

export interface FeedFileDeps {
  readonly db: CoreDb;
  readonly store: FeedStore;
  readonly verify: Verify;
  readonly now: () => number;
  readonly random: Random;
  readonly scrypt?: ScryptParams;
  readonly docs: PrivateDocs;
  readonly emit: (change: Change) => void;
  /** Told once an import stored commits: they are queued, so the outbox should run. */
  readonly imported: (pseudonym: PseudonymId) => void;
  /** importFeedFile's stageBytes (tests set 0 to take the two-read path). */
  readonly stageBytes?: number;
}

export type FeedFileApi = Pick<CoreApi, 'exportFeed' | 'importFeed' | 'findFeedFileProgress'>;

/** A progress notice at most every this many commits (and at the last), so a long file does not flood the page. */
const PROGRESS_EVERY = 100;

/** Bytes of encoded chunks the export gathers before it adds them to its Blob. */
const FOLD_BYTES = 4 * 1024 * 1024;

/** A Blob's bytes as chunks, read as they are needed (ReadableStream's async iteration is not everywhere yet). */
async function* chunksOf(blob: Blob): AsyncGenerator<Uint8Array> {
  const reader = blob.stream().getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    reader.releaseLock();
  }
}

export function createFeedFileApi(deps: FeedFileDeps): FeedFileApi {
  const { db, store, verify } = deps;
  let progress: FeedFileProgress | undefined;
  const report = (phase: FeedFileProgress['phase'], done: number, total: number) => {
    const moved = progress?.phase !== phase || done === total || done % PROGRESS_EVERY === 0;
    progress = { phase, done, total };
    if (moved) deps.emit({ kind: 'feed-file' });
  };
  const finished = <T>(work: Promise<T>): Promise<T> =>
    work.finally(() => {
      progress = undefined;
      deps.emit({ kind: 'feed-file' });
    });
  return {
    findFeedFileProgress: async () => progress,
    exportFeed: (pseudonym, options = {}) =>
      finished(
        asResult(async () => {
          const row = await getPseudonym(db, pseudonym);
          const secretKey = await getSecretKey(db, pseudonym); // Locked while the keys are
          const random = { salt: deps.random(new Uint8Array(16)), nonce: deps.random(new Uint8Array(24)) };
          const key =
            options.passphrase === undefined
              ? undefined
              : await encodeBackup({ ...row, secretKey }, options.passphrase, random, deps.scrypt);
          const state = Y.encodeStateAsUpdate(await deps.docs.doc(pseudonym));
          const sealed = sealPrivate(derivePrivateKeys(secretKey).aeadKey, deps.random(new Uint8Array(24)), state);
          const ordered = await listFeedInOrder(store, pseudonym);
          const type = 'application/octet-stream';
          let file = new Blob([], { type });
          let parts: Uint8Array<ArrayBuffer>[] = [];
          let held = 0;
          const header = { author: pseudonym, commits: ordered.length, ts: deps.now() };
          let done = 0;
          const commits = (async function* () {
            for await (const commit of feedFileCommits(store, pseudonym, ordered)) {
              yield commit;
              report('exporting', ++done, ordered.length);
            }
          })();
          // The chunks are folded into the Blob every few MiB: the browser takes a Blob's bytes into its own
          // storage (on disk past a size), so this worker holds the chunks since the last fold, not the file.
          for await (const chunk of encodeFeedFile({ header, ...(key && { key }), private: sealed, commits })) {
            parts.push(chunk as Uint8Array<ArrayBuffer>);
            held += chunk.length;
            if (held < FOLD_BYTES) continue;
            file = new Blob([file, ...parts], { type });
            parts = [];
            held = 0;
          }
          file = new Blob([file, ...parts], { type });
          return {
            fileName: backupFileName(row.name, deps.now()).replace(/\.murmur$/, '.feed'),
            file,
            commits: ordered.length,
          };
        }),
      ),
    importFeed: (file, passphrase) =>
      finished(
        asResult(async () => {
          if (!(file instanceof Blob)) throw new ProtocolError('DecodeError', 'no feed file was given');
          let keyImported = false;
          let update: Uint8Array | undefined;
          // Verified whole first; only then is the key taken in and the commits stored.
          const applied = await importFeedFile(store, () => chunksOf(file), {
            checks: { verify, now: deps.now() },
            queuedAt: deps.now(),
            onVerified: (done, total) => report('checking', done, total),
            onApplied: (done) => report('storing', done, progress?.total ?? done),
            ...(deps.stageBytes !== undefined && { stageBytes: deps.stageBytes }),
            accept: async (summary) => {
              const author = summary.header.author;
              if (!(await db.get('pseudonyms', author))) {
                if (!summary.key)
                  throw new ProtocolError(
                    'NotFound',
                    'this feed file has no key, and its pseudonym is not on this device',
                  );
                if (!passphrase) throw new CoreError('InvalidField', 'a passphrase is needed', { field: 'passphrase' });
                const { secretKey, ...contents } = await decodeBackup(summary.key, passphrase);
                if (contents.id !== author)
                  throw new ProtocolError('WrongAuthor', 'the key in this file is not the feed’s');
                await importPseudonymRow(db, contents, secretKey);
                keyImported = true;
                deps.emit({ kind: 'pseudonyms', pseudonym: author });
              }
              const secretKey = await getSecretKey(db, author);
              update = summary.private && openPrivate(derivePrivateKeys(secretKey).aeadKey, summary.private);
              return author;
            },
          });
          const author = applied.summary.header.author;
          const merged = update as Uint8Array | undefined; // set by accept, which ran
          if (merged) await deps.docs.change(author, (doc) => Y.applyUpdate(doc, merged));
          deps.emit({ kind: 'timeline', pseudonym: author });
          deps.emit({ kind: 'private', pseudonym: author });
          deps.imported(author);
          return {
            pseudonym: summaryOf(await getPseudonym(db, author)),
            commits: applied.commits,
            added: applied.added,
            key: keyImported,
          };
        }),
      ),
  };
}
