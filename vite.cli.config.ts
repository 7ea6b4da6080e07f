/**
 * Builds the command line (src/cli/main.ts) for Node 20 as ESM,
 * dist/cli/murmur.js and its chunks, run by bin/murmur.mjs (the package's `murmur` bin).
 * Like the hub's (vite.hub.config.ts), dependencies (commander, @noble/*)
 * are bundled in, so the built files run without node_modules. `murmur mcp`
 * (src/cli/mcp/) is loaded on demand: the MCP SDK and its schema libraries
 * (zod, ajv) would double what every other command parses at start.
 */
import { defineConfig } from 'vite';

export default defineConfig({
  publicDir: false,
  logLevel: 'warn',
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
