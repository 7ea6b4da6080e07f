/**
 * Builds the hub (src/hub/main.ts) for Node 20 as one ESM file,
 * dist/hub/main.js. Run with `vite build --config vite.hub.config.ts`; this
 * file is the whole config (the root vite.config.ts, the PWA's, is not read).
 * Dependencies (@noble/*, through src/protocol) are bundled in, so the built
 * hub runs without node_modules.
 */
import { defineConfig } from 'vite';

export default defineConfig({
  publicDir: false,
  logLevel: 'warn',
  ssr: { noExternal: true, target: 'node' },
  build: {
    ssr: 'src/hub/main.ts',
    target: 'node20',
    outDir: 'dist/hub',
    emptyOutDir: true,
    minify: false,
    sourcemap: true,
    rolldownOptions: { output: { format: 'es', entryFileNames: 'main.js' } },
  },
});
