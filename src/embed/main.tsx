/**
 * Entry of the embed page (embed.html; the hub serves it at /m/AUTHOR/MIST/embed and /raw): reads the mist
 * from its own path and shows it. It starts no worker and registers no service worker, and touches no storage:
 * other sites frame it, and it must hold nothing of anyone's.
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { pickVerify } from '../protocol/keys.ts';
import { parseMistPagePath } from '../protocol/page-routes.ts';
import { loadMist } from './load-mist.ts';
import { MistEmbed } from './MistEmbed.tsx';
// The app's design tokens, so a mist looks the same framed as in the app; then the page's own layout.
import '../app/styles/theme.css';
import './embed.css';

const container = document.getElementById('root');
if (!container) throw new Error('murmur: #root is missing from embed.html');
const page = parseMistPagePath(location.pathname);
const { origin } = location;
// One load per page: StrictMode runs effects twice in development, and the walk is the page's whole cost.
let loading: ReturnType<typeof loadMist> | undefined;
const load = () => {
  if (!page) throw new TypeError('no mist page');
  loading ??= pickVerify().then((verify) =>
    loadMist({ fetch: (input, init) => fetch(input, init), origin, verify, now: Date.now }, page.author, page.mist),
  );
  return loading;
};

createRoot(container).render(
  <StrictMode>
    {page ? (
      <MistEmbed page={page} origin={origin} load={load} />
    ) : (
      <main className="embed">
        <p className="embed-notice" role="alert">
          This address names no mist: a mist's page is /m/AUTHOR/MIST/embed, with the author's 64-hex key and the mist's
          16-hex id.
        </p>
      </main>
    )}
  </StrictMode>,
);
