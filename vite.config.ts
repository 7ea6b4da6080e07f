/**
 * The app build: React, and the PWA (web manifest plus our own Workbox
 * service worker, workers/sw.ts, with the precache manifest injected).
 * The hub serves the output, dist/app, with the .br and .gz copies
 * precompress() writes beside each text file. A mist's embed page is a
 * build of its own into the same folder (vite.embed.config.ts).
 */
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';
import { firstScreenChunk } from './scripts/first-screen-chunk.ts';
import { precompress } from './scripts/precompress.ts';

const firstScreen = firstScreenChunk();

export default defineConfig({
  plugins: [
    react(),
    firstScreen.plugin,
    VitePWA({
      strategies: 'injectManifest',
      srcDir: 'workers',
      filename: 'sw.ts',
      registerType: 'prompt',
      // The app registers through virtual:pwa-register (src/app/shell/service-worker.ts).
      injectRegister: false,
      includeAssets: ['favicon.svg', 'icons/apple-touch-icon.png'],
      manifest: {
        id: '/',
        name: 'Murmur',
        short_name: 'Murmur',
        description: 'A social network that lives in your browser. Your keys stay on your device.',
        lang: 'en',
        start_url: '/',
        scope: '/',
        display: 'standalone',
        orientation: 'any',
        background_color: '#f4f5fa',
        theme_color: '#4a3bd0',
        categories: ['social'],
        icons: [
          { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
          { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
          { src: '/icons/icon-maskable-192.png', sizes: '192x192', type: 'image/png', purpose: 'maskable' },
          { src: '/icons/icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
        shortcuts: [
          {
            name: 'New post',
            short_name: 'Post',
            description: 'Write a post',
            url: '/#/new',
            icons: [{ src: '/icons/shortcut-new-post-96.png', sizes: '96x96', type: 'image/png' }],
          },
          { name: 'Settings', short_name: 'Settings', description: 'Backup, lock and storage', url: '/#/settings' },
        ],
      },
      injectManifest: {
        globPatterns: ['**/*.{js,css,html,svg,png,webmanifest}'],
      },
      devOptions: { enabled: false },
    }),
    // Last: brotli and gzip copies of dist/app, the service worker included (scripts/precompress.ts).
    precompress(),
  ],
  build: {
    outDir: 'dist/app',
    emptyOutDir: true,
    // The browsers Murmur runs in preload modules natively (Chromium 66, Safari 17, Firefox 115): no polyfill.
    modulePreload: { polyfill: false },
    // What the page loads at start in one file (scripts/first-screen-chunk.ts), not one per set of importers.
    rolldownOptions: { output: { codeSplitting: { groups: [firstScreen.group] } } },
  },
  worker: {
    // The core worker is created with new Worker(new URL(...), { type: 'module' }).
    format: 'es',
  },
});
