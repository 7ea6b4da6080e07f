/**
 * Builds the command line (src/cli/main.ts) for Node 20 as one ESM file,
 * dist/cli/murmur.js, run by bin/murmur.mjs (the package's `murmur` bin).
 * Like the hub's (vite.hub.config.ts), dependencies (commander, @noble/*)
 * are bundled in, so the built file runs without node_modules.
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
    rolldownOptions: { output: { format: 'es', entryFileNames: 'murmur.js' } },
  },
});
