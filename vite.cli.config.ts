/**
 * Builds the command line (src/cli/main.ts) for Node 20: dist/cli/murmur.cjs,
 * one CommonJS script, and dist/cli/murmur.js, the loader that runs it from
 * V8's code cache (src/cli/boot/loader.cjs, the bundle's sha256 filled in),
 * run by bin/murmur.mjs (the package's `murmur` bin). One script, because a
 * cached compile is of one script (vm.Script): `murmur mcp` (src/cli/mcp/)
 * is in it but runs no code until asked for (a dynamic import becomes a lazy
 * initializer), and with the cache its 0.7 MB is not even parsed.
 * Like the hub's (vite.hub.config.ts), dependencies (commander, @noble/*)
 * are bundled in, so the built files run without node_modules. The
 * bundle hashes and stretches passphrases with node:crypto: src/cli/node-sha256.ts
 * and node-scrypt.ts stand in for src/runtime/sha256.ts and scrypt.ts wherever
 * the shared code imports them.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Plugin, defineConfig } from 'vite';

/** Modules of the shared code the command line runs on node:crypto instead: runtime module -> Node's. */
const SWAPS = new Map(
  [
    ['src/runtime/sha256.ts', 'src/cli/node-sha256.ts'],
    ['src/runtime/scrypt.ts', 'src/cli/node-scrypt.ts'],
  ].map(([from, to]) => [fileURLToPath(new URL(from!, import.meta.url)), fileURLToPath(new URL(to!, import.meta.url))]),
);
const SWAPPED_IN = new Set(SWAPS.values());

const nodeCrypto: Plugin = {
  name: 'murmur-cli-node-crypto',
  enforce: 'pre',
  async resolveId(source, importer, options) {
    if (!/\/(sha256|scrypt)\.ts$/.test(source) || (importer && SWAPPED_IN.has(importer))) return null;
    const resolved = await this.resolve(source, importer, { ...options, skipSelf: true });
    return (resolved && SWAPS.get(resolved.id)) ?? null;
  },
};

/**
 * commander requires node:child_process as it loads, for subcommands that are executables of their own, which
 * murmur has none of: that require becomes one made when spawn is first called, so no command's start pays for it.
 */
const COMMANDER_CHILD_PROCESS = "const childProcess = require('node:child_process');";
const lazyCommanderSpawn: Plugin = {
  name: 'murmur-cli-lazy-commander-spawn',
  transform(code, id) {
    if (!id.replaceAll('\\', '/').endsWith('/commander/lib/command.js')) return null;
    if (!code.includes(COMMANDER_CHILD_PROCESS)) throw new Error(`${id} no longer has ${COMMANDER_CHILD_PROCESS}`);
    const lazy = "const childProcess = { spawn: (...args) => require('node:child_process').spawn(...args) };";
    return { code: code.replace(COMMANDER_CHILD_PROCESS, lazy), map: null };
  },
};

const LOADER = fileURLToPath(new URL('src/cli/boot/loader.cjs', import.meta.url));

/**
 * Writes murmur.js, the loader, naming the bundle's bytes as written (its source map comment included), and a
 * package.json that makes dist/cli CommonJS. Refuses a bundle with an import() in it: the loader compiles it as a
 * script with no module loader behind it, where import() fails when it runs.
 */
const loader: Plugin = {
  name: 'murmur-cli-loader',
  writeBundle(options, output) {
    // Another entry built with this config (src/cli/feed-file-memory.test.ts's scenario) is no murmur: no loader.
    if (!('murmur.cjs' in output)) return;
    const dir = options.dir!;
    const bundle = readFileSync(join(dir, 'murmur.cjs'));
    const left = /\bimport\s*\(/.exec(bundle.toString('latin1'));
    if (left) throw new Error(`dist/cli/murmur.cjs has an import() at byte ${left.index}: use require there`);
    const sha256 = createHash('sha256').update(bundle).digest('hex');
    const source = readFileSync(LOADER, 'utf8');
    if (!source.includes('@BUNDLE_SHA256@')) throw new Error(`${LOADER} has no @BUNDLE_SHA256@ to fill in`);
    writeFileSync(join(dir, 'murmur.js'), source.replace('@BUNDLE_SHA256@', sha256));
    writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ type: 'commonjs' })}\n`);
  },
};

export default defineConfig({
  publicDir: false,
  logLevel: 'warn',
  plugins: [nodeCrypto, lazyCommanderSpawn, loader],
  ssr: { noExternal: true, target: 'node' },
  build: {
    ssr: 'src/cli/main.ts',
    target: 'node20',
    outDir: 'dist/cli',
    emptyOutDir: true,
    minify: false,
    sourcemap: true,
    rolldownOptions: {
      output: {
        format: 'cjs',
        entryFileNames: 'murmur.cjs',
        codeSplitting: false,
        // Read and decoded by every run: ASCII only (a one-byte string for V8, half the memory of a two-byte one),
        // no JSDoc (a third of its bytes), licences kept.
        charset: 'ascii',
        comments: { legal: true, annotation: false, jsdoc: false },
      },
    },
  },
});
