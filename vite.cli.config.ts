/**
 * Builds the command line (src/cli/main.ts) for Node 20 as ESM,
 * dist/cli/murmur.js and its chunks, run by bin/murmur.mjs (the package's `murmur` bin).
 * Like the hub's (vite.hub.config.ts), dependencies (commander, @noble/*)
 * are bundled in, so the built files run without node_modules. `murmur mcp`
 * (src/cli/mcp/) is loaded on demand: the MCP SDK and its schema libraries
 * (zod, ajv) would double what every other command parses at start. The
 * bundle hashes with node:crypto: src/cli/node-sha256.ts stands in for
 * src/runtime/sha256.ts wherever the shared code imports it.
 */
import { fileURLToPath } from 'node:url';
import { type Plugin, defineConfig } from 'vite';

const RUNTIME_SHA256 = fileURLToPath(new URL('src/runtime/sha256.ts', import.meta.url));
const NODE_SHA256 = fileURLToPath(new URL('src/cli/node-sha256.ts', import.meta.url));

const nodeSha256: Plugin = {
  name: 'murmur-cli-node-sha256',
  enforce: 'pre',
  async resolveId(source, importer, options) {
    if (!source.endsWith('/sha256.ts') || importer === NODE_SHA256) return null;
    const resolved = await this.resolve(source, importer, { ...options, skipSelf: true });
    return resolved?.id === RUNTIME_SHA256 ? NODE_SHA256 : null;
  },
};

export default defineConfig({
  publicDir: false,
  logLevel: 'warn',
  plugins: [nodeSha256],
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
