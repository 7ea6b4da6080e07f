/**
 * A feed file on disk (src/protocol/feed-file.ts), for `export-feed` and
 * `import-feed`: written as it is encoded, chunk by chunk, to a temporary
 * file renamed into place once whole and fsynced; read back in large chunks.
 * Neither side ever holds the file: memory stays bounded however much media
 * the feed carries (src/cli/feed-file-memory.test.ts holds them to it).
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { createRequire } from 'node:module';
import { type FeedFileInput, type NewHasher, encodeFeedFile } from '../../protocol/feed-file.ts';

/** node:crypto's sha256 for the file's checksum: several times faster than JavaScript on 100 MB of media. */
export const nodeHasher: NewHasher = () => {
  const hash = createHash('sha256');
  return { update: (bytes) => hash.update(bytes), digest: () => hash.digest() };
};

/** Reads of the file: large, so a feed of many media is read in few calls, and never all at once. */
const READ_CHUNK = 1024 * 1024;

/** The file's bytes as chunks, read as the reader asks for them (a stream's backpressure). */
export function readFeedFileChunks(path: string): AsyncIterable<Uint8Array> {
  return createReadStream(path, { highWaterMark: READ_CHUNK });
}

/**
 * Writes the feed file of `input` to `path`, each chunk as it is encoded: a file at `path` is always whole (a
 * crash or a refused commit leaves at most the temporary file, which is removed on an error).
 * @returns the bytes written
 * @throws what encodeFeedFile throws, or a write's error
 */
export async function writeFeedFile(path: string, input: FeedFileInput): Promise<number> {
  const temporary = `${path}.${process.pid}.tmp`;
  // Required here, not imported: every command's start would load node:fs/promises for export-feed.
  const { open, rename, rm } = createRequire(import.meta.url)('node:fs/promises') as typeof import('node:fs/promises');
  const handle = await open(temporary, 'w', 0o600);
  let bytes = 0;
  try {
    for await (const chunk of encodeFeedFile(input, nodeHasher)) {
      await handle.write(chunk);
      bytes += chunk.length;
    }
    await handle.sync();
  } catch (error) {
    await handle.close();
    await rm(temporary, { force: true });
    throw error;
  }
  await handle.close();
  await rename(temporary, path);
  return bytes;
}
