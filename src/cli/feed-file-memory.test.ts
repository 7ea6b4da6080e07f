/**
 * A feed of 10,000 posts and 100 MB of media (100 blobs of 1 MiB) exported to a feed file and imported into a
 * fresh store with bounded memory, each in a Node process of its own (testing/feed-file-memory-scenario.ts,
 * bundled as the command line is): what the process holds, sampled after a full collection as it reports
 * progress, grows by well under the media's size, where the same measure of a writer that holds the file's
 * chunks, or of an import from the file read whole, says no.
 *
 * The measure is live memory (heapUsed + arrayBuffers after gc()), not resident memory: V8 frees spent
 * ArrayBuffers (the read stream's chunks, each record's copy) lazily, once some 64 MB of them have piled up,
 * so VmHWM grows by about 120 MB whether the file carries 100 MB of media or 300 MB (it is printed, with the
 * unforced samples, for whoever reads the log).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'vite';
import { expect, onTestFinished, test } from 'vitest';
import { CLI_TEST_TIMEOUT_MS } from './testing/cli-world.ts';
import type { ExportRun, ImportRun } from './testing/feed-file-memory-scenario.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const POSTS = 10_000;
const MEDIA = 100;
/** The bound: live memory grows by less than this share of the media's bytes. */
const SHARE = 0.4;

/** Builds the scenario into `dir` and gives a runner of it: one process per call, its JSON line parsed. */
async function scenario(dir: string): Promise<(phase: string, ...args: string[]) => Promise<unknown>> {
  await build({
    configFile: join(ROOT, 'vite.cli.config.ts'),
    logLevel: 'warn',
    build: {
      ssr: join(import.meta.dirname, 'testing', 'feed-file-memory-scenario.ts'),
      outDir: join(dir, 'bundle'),
      emptyOutDir: true,
      sourcemap: false,
      rolldownOptions: { output: { format: 'es', entryFileNames: 'scenario.mjs' } },
    },
  });
  return async (phase, ...args) => {
    const script = join(dir, 'bundle', 'scenario.mjs');
    const { stdout } = await promisify(execFile)(process.execPath, ['--expose-gc', script, phase, dir, ...args]);
    return JSON.parse(stdout) as unknown;
  };
}

test(
  'a 10,000-post feed with 100 MB of media exports and imports with progress, holding a small part of it',
  async () => {
    const dir = await mkdtemp(join(tmpdir(), 'murmur-feed-file-memory-'));
    onTestFinished(() => rm(dir, { recursive: true, force: true }));
    const run = await scenario(dir);
    const exported = (await run('export', String(POSTS), String(MEDIA))) as ExportRun;
    const imported = (await run('import')) as ImportRun;
    // The controls, the same measure of what holds the whole file.
    const exportedWhole = (await run('export-whole', String(POSTS), String(MEDIA))) as ExportRun;
    const importedWhole = (await run('import-whole')) as ImportRun;
    console.info(JSON.stringify({ exported, imported, exportedWhole, importedWhole }));

    const media = exported.mediaBytes;
    expect(media).toBe(MEDIA * 1024 * 1024);
    expect(exported.fileBytes).toBeGreaterThan(media);
    expect(exported.progress).toEqual({ calls: POSTS, last: POSTS });
    expect(imported).toMatchObject({ verified: POSTS, applied: POSTS, commits: POSTS, added: POSTS, sameTips: true });
    expect(imported).toMatchObject({ media: MEDIA, mediaBytes: media });
    expect(exported.liveGrowth, 'export holds a small part of the feed').toBeLessThan(SHARE * media);
    expect(imported.liveGrowth, 'import holds a small part of the file').toBeLessThan(SHARE * media);
    expect(exportedWhole.liveGrowth, 'the control must say no').toBeGreaterThan(SHARE * media);
    expect(importedWhole.liveGrowth, 'the control must say no').toBeGreaterThan(SHARE * media);
  },
  CLI_TEST_TIMEOUT_MS,
);
