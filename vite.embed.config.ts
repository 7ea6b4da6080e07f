/**
 * Builds a mist's embed page (src/embed/embed.html) into the app's folder, dist/app, after the app's build
 * (`npm run build` runs this second): the hub serves it at /m/AUTHOR/MIST/embed and /raw (src/hub/routes/embed.ts).
 *
 * A build of its own rather than a second input of the app's: a bundler splits shared code by module, so a
 * module the app's first screen and the embed both import would go out whole with the app, what only the
 * embed uses of it included (a second input made the app's initial JS 10 KB gzipped larger: the feed walk's
 * decoders and a cipher). Here the embed carries its own copy of what it uses, and the app is untouched; nor is
 * the embed in the service worker's precache, which the app's build wrote before this one (it is never the
 * app's shell, and it reads its hub live).
 */
import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { precompress } from './scripts/precompress.ts';

export default defineConfig({
  // Rooted at the page's folder, so the page is written as dist/app/embed.html.
  root: resolve(import.meta.dirname, 'src/embed'),
  // The app's build copied public/ already.
  publicDir: false,
  plugins: [react(), precompress({ scope: 'bundle' })],
  build: {
    outDir: resolve(import.meta.dirname, 'dist/app'),
    // The app's files are already there.
    emptyOutDir: false,
    rolldownOptions: { input: { embed: resolve(import.meta.dirname, 'src/embed/embed.html') } },
  },
});
