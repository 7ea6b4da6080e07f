/**
 * A mist's embed and raw pages on a real hub: the built embed page served under a policy that lets any site
 * frame it and nothing else loosened, no cookie, no X-Frame-Options; malformed ids refused by name before any
 * file is read; the app's own pages still refuse every frame.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { mistPagePath } from '../../protocol/page-routes.ts';
import type { MistId } from '../../protocol/mists.ts';
import { type TestHub, alice, errorName, startTestHub } from '../testing/hub-fixture.ts';
import { CONTENT_SECURITY_POLICY } from '../http/static.ts';
import { EMBED_SCRIPT } from './embed.ts';
import { request } from 'node:http';

const EMBED_HTML = '<!doctype html><title>Mist</title><script type="module" src="/assets/embed-x.js"></script>';
const INDEX_HTML = '<!doctype html><title>Murmur</title>';
const MIST = '0123456789abcdef' as MistId;

let root: string;
let t: TestHub;
let bare: TestHub;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'murmur-embed-'));
  const app = join(root, 'app');
  await mkdir(join(app, 'assets'), { recursive: true });
  await writeFile(join(app, 'index.html'), INDEX_HTML);
  await writeFile(join(app, 'embed.html'), EMBED_HTML);
  await writeFile(join(app, 'embed.html.br'), brotliCompressSync(EMBED_HTML));
  // An app built without its embed page (only `vite build`): the routes say so rather than serve the app.
  const appOnly = join(root, 'app-only');
  await mkdir(appOnly);
  await writeFile(join(appOnly, 'index.html'), INDEX_HTML);
  [t, bare] = await Promise.all([startTestHub({ appDir: app }), startTestHub({ appDir: appOnly })]);
});
afterAll(async () => {
  await Promise.all([t.stop(), bare.stop()]);
  await rm(root, { recursive: true, force: true });
});

const html = { accept: 'text/html,application/xhtml+xml' };

/** The policy's directives by name. */
function directives(policy: string | null): Map<string, string> {
  return new Map((policy ?? '').split(';').map((d) => d.trim().split(/\s+(.*)/s) as [string, string]));
}

describe('GET /m/:author/:mist/embed and /raw', () => {
  test.each(['embed', 'raw'] as const)('/%s serves the embed page, framable from anywhere, no cookie', async (mode) => {
    const res = await fetch(`${t.url}${mistPagePath({ author: alice, mist: MIST, mode })}`, { headers: html });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(EMBED_HTML);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('no-cache');
    expect(res.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('x-frame-options')).toBeNull();
    expect(res.headers.get('set-cookie')).toBeNull();
    const policy = directives(res.headers.get('content-security-policy'));
    expect(policy.get('frame-ancestors')).toBe('*');
    // Everything else as strict as the app's, or stricter: no inline or foreign script or style, no plugins.
    expect(policy.get('script-src')).toBe("'self'");
    expect(policy.get('style-src')).toBe("'self'");
    expect(policy.get('default-src')).toBe("'self'");
    expect(policy.get('object-src')).toBe("'none'");
    expect(policy.get('base-uri')).toBe("'none'");
    expect(policy.get('connect-src')).toBe("'self'");
    expect(policy.get('worker-src')).toBe("'none'");
  });

  test('HEAD, and the precompressed copy when the client takes brotli', async () => {
    const path = mistPagePath({ author: alice, mist: MIST, mode: 'embed' });
    const head = await fetch(`${t.url}${path}`, { method: 'HEAD' });
    expect([head.status, head.headers.get('content-security-policy')]).toEqual([200, expect.stringContaining('*')]);
    const packed = await rawGet(`${t.url}${path}`, { 'accept-encoding': 'br' });
    expect(packed.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(packed.body).toString()).toBe(EMBED_HTML);
    expect(packed.headers['content-security-policy']).toContain('frame-ancestors *');
  });

  test('a malformed author or mist id is 400 MalformedId, before any file is read, with no cookie', async () => {
    const cases = [
      `/m/${alice.toUpperCase()}/${MIST}/embed`,
      `/m/${alice.slice(1)}/${MIST}/embed`,
      `/m/alice/${MIST}/raw`,
      `/m/${alice}/${MIST.slice(1)}/embed`,
      `/m/${alice}/${MIST}0/raw`,
      `/m/${alice}/0123456789ABCDEF/embed`,
      `/m/${alice}/%3Cscript%3E/embed`,
    ];
    for (const path of cases) {
      const res = await fetch(`${t.url}${path}`, { headers: html });
      expect(res.headers.get('set-cookie'), path).toBeNull();
      expect([path, await errorName(res)]).toEqual([path, '400 MalformedId']);
    }
    // A path with no file behind it and a served app: the bare hub answers the same refusal.
    expect(await errorName(await fetch(`${bare.url}/m/${alice}/xyz/embed`))).toBe('400 MalformedId');
  });

  test('embed.js puts the embed page in an iframe beside its script tag, the same bytes for every mist', async () => {
    const res = await fetch(`${t.url}/m/${alice}/${MIST}/embed.js`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(res.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    expect(res.headers.get('set-cookie')).toBeNull();
    const script = await res.text();
    expect(script).toBe(EMBED_SCRIPT);
    expect(script).not.toContain(alice);
    // Run where a page would: the frame it adds points at the page the script's own URL names.
    const added: { src?: string }[] = [];
    const tag = {
      src: `${t.url}/m/${alice}/${MIST}/embed.js`,
      parentNode: { insertBefore: (f: object) => added.push(f) },
    };
    const document = { currentScript: tag, createElement: () => ({ style: {} }) };
    new Function('document', script)(document);
    expect(added.map((f) => f.src)).toEqual([`${t.url}/m/${alice}/${MIST}/embed`]);
    expect(await errorName(await fetch(`${t.url}/m/${alice}/nothex/embed.js`))).toBe('400 MalformedId');
  });

  test('a hub whose app was built without the embed page answers 404 NotFound', async () => {
    const res = await fetch(`${bare.url}${mistPagePath({ author: alice, mist: MIST, mode: 'embed' })}`);
    expect(await errorName(res)).toBe('404 NotFound');
  });

  test('another method is 405 MethodNotAllowed; a bad percent-encoding 400 BadRequest', async () => {
    const post = await fetch(`${t.url}${mistPagePath({ author: alice, mist: MIST, mode: 'raw' })}`, { method: 'POST' });
    expect(await errorName(post)).toBe('405 MethodNotAllowed');
    expect(post.headers.get('allow')).toBe('GET');
    expect(await errorName(await fetch(`${t.url}/m/%E0%A4%A/${MIST}/embed`))).toBe('400 BadRequest');
  });

  test("the app's own pages, a path under /m/ naming no mist page included, still refuse every frame", async () => {
    for (const path of ['/', `/m/${alice}/${MIST}`, `/m/${alice}/${MIST}/other`, '/embed.html']) {
      const res = await fetch(`${t.url}${path}`, { headers: html });
      expect([path, res.status]).toEqual([path, 200]);
      expect(res.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
      expect(directives(CONTENT_SECURITY_POLICY).get('frame-ancestors')).toBe("'none'");
    }
  });
});

/** A GET with headers of our own choosing (fetch would decode the body), its raw bytes and headers. */
function rawGet(url: string, headers: Record<string, string>) {
  return new Promise<{ headers: Record<string, string | string[] | undefined>; body: Buffer }>((resolve, reject) => {
    request(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
    })
      .on('error', reject)
      .end();
  });
}
