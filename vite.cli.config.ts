/**
 * Builds the command line (src/cli/main.ts) for Node 20 as ESM,
 * dist/cli/murmur.js and its chunks, run by bin/murmur.mjs (the package's `murmur` bin).
 * Like the hub's (vite.hub.config.ts), dependencies (commander, @noble/*)
 * are bundled in, so the built files run without node_modules. `murmur mcp`
 * (src/cli/mcp/) is loaded on demand: the MCP SDK and its schema libraries
 * (zod, ajv) would double what every other command parses at start. The
 * bundle hashes and stretches passphrases with node:crypto: src/cli/node-sha256.ts
 * and node-scrypt.ts stand in for src/runtime/sha256.ts and scrypt.ts wherever
 * the shared code imports them.
 */
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

export default defineConfig({
  publicDir: false,
  logLevel: 'warn',
  plugins: [nodeCrypto],
  ssr: { noExternal: true, target: 'node' },
  build: {
    ssr: 'src/cli/main.ts',
    target: 'node20',
    outDir: 'dist/cli',
    emptyOutDir: true,
    minify: false,
    sourcemap: true,
    rolldownOptions: {
      output: { format: 'es', entryFileNames: 'murmur.js', chunkFileNames: 'chunks/[name]-[hash].js' },
    },
  },
});
