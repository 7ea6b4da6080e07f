/**
 * The whole feed as one file (src/protocol/feed-file.ts): `export-feed`
 * writes the pseudonym's commits, their objects and media, its sealed private
 * state and, with --with-key, its key as the app's backup file; `import-feed`
 * verifies all of one (nothing changes unless every byte is good), then
 * applies it as this home's own, queued for `sync` (workers/feed/feed-file-io.ts).
 * (`export` and `import` move the key alone: identity.ts.)
 */
import { resolve } from 'node:path';
import * as Y from 'yjs';
import type { FeedFileSummary } from '../../protocol/feed-file-reader.ts';
import { parseHandle } from '../../protocol/handles.ts';
import { derivePrivateKeys, openPrivate, sealPrivate } from '../../protocol/private-seal.ts';
import { ProtocolError } from '../../protocol/errors.ts';
import type { SecretKey } from '../../protocol/keys.ts';
import { decodeBackup } from '../../../workers/keys/backup.ts';
import { feedFileCommits, importFeedFile, listFeedInOrder } from '../../../workers/feed/feed-file-io.ts';
import type { Answer } from '../answer.ts';
import { CliError } from '../errors.ts';
import { readPassphrase } from '../home/passphrase-prompt.ts';
import { PrivateState } from '../home/private-state.ts';
import { type PseudonymEntry, sealKey } from '../home/pseudonyms.ts';
import { type CommandContext, actingAs } from './context.ts';
import { nodeHasher, readFeedFileChunks, writeFeedFile } from './feed-file-disk.ts';
import { checkSharedPassphrase } from './identity.ts';

/** Progress in words on stderr: when asked for (--progress), or for a person at a terminal. */
function progressOf(context: CommandContext, asked: boolean) {
  const stderr = context.io.stderr as NodeJS.WritableStream & { isTTY?: boolean };
  const shown = asked || stderr.isTTY === true;
  let lastTenth = -1;
  return (verb: string, done: number, total: number) => {
    if (!shown) return;
    // A line per tenth (and the last): enough to see it move, few enough for a log.
    const tenth = total === 0 ? 10 : Math.floor((done * 10) / total);
    if (tenth === lastTenth && done !== total) return;
    lastTenth = done === total ? -1 : tenth;
    stderr.write(`murmur: ${verb} ${done} of ${total} commits\n`);
  };
}

export async function exportFeed(
  context: CommandContext,
  file: string,
  options: { withKey?: boolean; progress?: boolean },
): Promise<Answer> {
  const entry = actingAs(context);
  const { device } = context;
  const passphrase = await device.passphrase();
  const { secretKey } = await device.pseudonyms.open(entry, passphrase); // Forbidden for an agent: no owner key
  const ordered = await listFeedInOrder(device.store, entry.id);
  const progress = progressOf(context, options.progress === true);
  const path = resolve(file);
  let done = 0;
  let objects = 0;
  const counted = async function* () {
    for await (const commit of feedFileCommits(device.store, entry.id, ordered)) {
      objects += commit.blobs.size;
      yield commit;
      progress('exported', ++done, ordered.length);
    }
  };
  const bytes = await writeFeedFile(path, {
    header: { author: entry.id, commits: ordered.length, ts: Date.now() },
    ...(options.withKey && { key: await sealKey(entry, secretKey, passphrase) }),
    private: sealedPrivateState(device.home, entry, secretKey),
    commits: counted(),
  });
  return {
    json: { file: path, id: entry.id, commits: ordered.length, objects, bytes, key: options.withKey === true },
    text:
      `Wrote the feed of ${entry.handle ?? entry.name} (${ordered.length} commits, ${bytes} bytes) to ${path}` +
      (options.withKey ? ", with its key locked by this home's passphrase." : ', without its key.'),
  };
}

/** The private document, sealed as the app seals it for the pseudonym's devices (private-seal.ts). */
function sealedPrivateState(home: string, entry: PseudonymEntry, secretKey: SecretKey): Uint8Array {
  const update = Y.encodeStateAsUpdate(PrivateState.open(home, entry.name).doc);
  return sealPrivate(derivePrivateKeys(secretKey).aeadKey, crypto.getRandomValues(new Uint8Array(24)), update);
}

/**
 * The pseudonym the file's feed goes to: the home's own (by id; `--as` must name it), or, when the home lacks
 * it, the one the file's key brings (added once the file is known good).
 * @throws ProtocolError WrongAuthor (--as names another pseudonym, or the key is another's); CliError
 *   NoPseudonym (neither here nor in the file); CoreError WrongPassphrase, BackupTampered
 */
async function targetOf(
  context: CommandContext,
  file: string,
  summary: FeedFileSummary,
): Promise<{ entry: PseudonymEntry; secretKey: SecretKey; add?: string }> {
  const { device } = context;
  const author = summary.header.author;
  const here = device.pseudonyms.list().find((p) => p.id === author);
  if (context.as !== undefined) {
    const named = device.pseudonyms.list().find((p) => p.name === context.as);
    if (named && named.id !== author)
      throw new ProtocolError('WrongAuthor', `${file} is the feed of ${author}, not of ${named.name} (${named.id})`);
  }
  if (here)
    return { entry: here, secretKey: (await device.pseudonyms.open(here, await device.passphrase())).secretKey };
  if (!summary.key)
    throw new CliError(
      'NoPseudonym',
      `${file} is the feed of ${author}, which this home does not hold, and carries no key: ` +
        'import its key first (murmur import BACKUP), or export the feed again with --with-key',
    );
  const passphrase = await readPassphrase(context.io, `for the key in ${file}`);
  const contents = await decodeBackup(summary.key, passphrase);
  if (contents.id !== author)
    throw new ProtocolError('WrongAuthor', `the key in ${file} is ${contents.id}'s, the feed ${author}'s`);
  const entry: PseudonymEntry = {
    name: context.as ?? (contents.handle ? parseHandle(contents.handle).name : contents.name.toLowerCase()),
    id: contents.id,
    displayName: contents.name,
    ...(contents.handle && { handle: contents.handle }),
    hubs: contents.hubs,
    createdAt: contents.createdAt,
  };
  return { entry, secretKey: contents.secretKey, add: passphrase };
}

export async function importFeed(
  context: CommandContext,
  file: string,
  options: { progress?: boolean },
): Promise<Answer> {
  const { device } = context;
  const path = resolve(file);
  const read = () => readFeedFileChunks(path);
  const progress = progressOf(context, options.progress === true);
  let total = 0;
  const checks = { verify: device.deps.verify, now: Date.now(), newHasher: nodeHasher };
  let target: { entry: PseudonymEntry; add?: string; update?: Uint8Array } | undefined;
  // Verified whole first; only then is the file accepted (its pseudonym added) and its commits stored.
  const { commits, added } = await importFeedFile(device.store, read, {
    checks,
    queuedAt: Date.now(),
    onVerified: (done, total) => progress('verified', done, total),
    onApplied: (done) => progress('imported', done, total),
    accept: async (summary) => {
      total = summary.commits;
      const { entry, secretKey, add } = await targetOf(context, file, summary);
      const update = summary.private && openPrivate(derivePrivateKeys(secretKey).aeadKey, summary.private);
      if (add !== undefined) {
        await checkSharedPassphrase(context, add);
        await device.pseudonyms.add(entry, secretKey, add);
      }
      target = { entry, ...(add !== undefined && { add }), ...(update && { update }) };
      return entry.id;
    },
  });
  const { entry, add, update } = target!;
  if (update) PrivateState.open(device.home, entry.name).change((doc) => Y.applyUpdate(doc, update));
  const queued = await device.store.countQueued(entry.id);
  return {
    json: {
      name: entry.name,
      id: entry.id,
      handle: entry.handle ?? null,
      commits,
      added,
      queued,
      key: add !== undefined,
      private: update !== undefined,
    },
    text:
      `Imported the feed of ${entry.handle ?? entry.name}: ${commits} commits, ${added} new here` +
      `${add !== undefined ? ', and its key' : ''}. murmur sync sends what its hub lacks.`,
  };
}
