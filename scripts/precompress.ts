/**
 * Precompressed copies of the built app (issue 22, first paint): beside each
 * compressible text file of dist/app, `name.br` (brotli, quality 11) and
 * `name.gz` (gzip, level 9), which the hub serves to a browser that accepts
 * them (src/hub/http/static.ts) instead of compressing per request. Slow
 * settings are fine here: they cost the build once, never an answer.
 *
 * A Vite plugin on node:zlib, so no dependency. It runs at the end of the
 * app build (closeBundle, order post, sequential), after vite-plugin-pwa's
 * own closeBundle has built the service worker (dist/app/sw.js), so public
 * files, the worker chunks and the service worker are all on disk by then.
 */
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { extname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import type { Plugin } from 'vite';
import { CODINGS, COMPRESSIBLE, type ContentCoding } from '../src/hub/http/content-coding.ts';

/** Below this a copy saves less than its headers and the extra file cost. */
const MIN_BYTES = 1024;

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

/** How the build makes the copy of each coding the hub serves (content-coding.ts): the slowest, smallest settings. */
const COMPRESS: Readonly<Record<ContentCoding, (bytes: Buffer) => Promise<Buffer>>> = {
  br: (bytes) =>
    brotli(bytes, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
        [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
        [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
      },
    }),
  gzip: (bytes) => gzipAsync(bytes, { level: constants.Z_BEST_COMPRESSION }),
};

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

/**
 * Writes a copy of each coding (`.br`, `.gz`) beside each compressible file of `files` of at least MIN_BYTES
 * where the copy is smaller than it, and removes a copy that does not pay (so a stale one from an earlier build
 * is never served). Returns the files compressed.
 */
async function precompressFiles(files: readonly string[]): Promise<string[]> {
  const done: string[] = [];
  for (const file of files) {
    if (!COMPRESSIBLE.has(extname(file).toLowerCase())) continue;
    const bytes = await readFile(file);
    let wrote = false;
    for (const { coding, suffix } of CODINGS) {
      const packed = bytes.length < MIN_BYTES ? undefined : await COMPRESS[coding](bytes);
      if (packed && packed.length < bytes.length) {
        await writeFile(file + suffix, packed);
        wrote = true;
      } else {
        await rm(file + suffix, { force: true });
      }
    }
    if (wrote) done.push(file);
  }
  return done;
}

/**
 * The plugin: precompresses the build's output folder once everything, the service worker included, is written.
 * With `scope: 'bundle'` only the files this build wrote: the embed page's build (vite.embed.config.ts) writes
 * into the app's folder after the app's build, whose files already have their copies.
 */
export function precompress({ scope = 'folder' }: { readonly scope?: 'folder' | 'bundle' } = {}): Plugin {
  let outDir = '';
  let log: (message: string) => void = () => {};
  const written: string[] = [];
  return {
    name: 'murmur:precompress',
    apply: 'build',
    configResolved(config) {
      outDir = resolve(config.root, config.build.outDir);
      log = (message) => config.logger.info(message);
    },
    writeBundle(_options, bundle) {
      written.push(...Object.keys(bundle).map((name) => join(outDir, name)));
    },
    closeBundle: {
      order: 'post',
      sequential: true,
      async handler() {
        const files = await precompressFiles(scope === 'bundle' ? written : await filesUnder(outDir));
        log(`precompressed ${files.length} files (.br, .gz)`);
      },
    },
  };
}
