/** Serving the built PWA: content types, cache headers, the app-route fallback, and no escape from appDir. */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type TestHub, startTestHub } from '../testing/hub-fixture.ts';

let root: string;
let t: TestHub;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'murmur-static-'));
  const app = join(root, 'app');
  await mkdir(join(app, 'assets'), { recursive: true });
  await writeFile(join(root, 'secret.txt'), 'outside the app');
  const files: Record<string, string> = {
    'index.html': '<!doctype html><title>Murmur</title>',
    'sw.js': 'self.skipWaiting()',
    'registerSW.js': 'navigator.serviceWorker.register("/sw.js")',
    'manifest.webmanifest': '{"name":"Murmur"}',
    'icon.svg': '<svg xmlns="http://www.w3.org/2000/svg"/>',
    'assets/index-abc123.js': 'console.log(1)',
    'assets/index-abc123.css': 'body{}',
  };
  for (const [name, text] of Object.entries(files)) await writeFile(join(app, name), text);
  t = await startTestHub({ appDir: app });
});
afterAll(async () => {
  await t.stop();
  await rm(root, { recursive: true, force: true });
});

const html = { accept: 'text/html,application/xhtml+xml' };

describe('static app', () => {
  test.each([
    ['/', 'text/html; charset=utf-8', 'no-cache'],
    ['/index.html', 'text/html; charset=utf-8', 'no-cache'],
    ['/sw.js', 'text/javascript; charset=utf-8', 'no-cache'],
    ['/registerSW.js', 'text/javascript; charset=utf-8', 'no-cache'],
    ['/manifest.webmanifest', 'application/manifest+json; charset=utf-8', 'no-cache'],
    ['/icon.svg', 'image/svg+xml', 'no-cache'],
    ['/assets/index-abc123.js', 'text/javascript; charset=utf-8', 'public, max-age=31536000, immutable'],
    ['/assets/index-abc123.css', 'text/css; charset=utf-8', 'public, max-age=31536000, immutable'],
  ])('%s is %s with Cache-Control %s', async (path, type, cache) => {
    const res = await fetch(`${t.url}${path}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(type);
    expect(res.headers.get('cache-control')).toBe(cache);
  });

  test('a page URL with no file is the app shell; other missing files are 404', async () => {
    const page = await fetch(`${t.url}/profile/alice`, { headers: html });
    expect(page.status).toBe(200);
    expect(page.headers.get('cache-control')).toBe('no-cache');
    expect(await page.text()).toContain('<title>Murmur</title>');
    expect((await fetch(`${t.url}/assets/gone-000.js`)).status).toBe(404);
  });

  test('the app shell carries a Content-Security-Policy allowing no inline script or style and no eval', async () => {
    const page = await fetch(`${t.url}/`, { headers: html });
    const policy = page.headers.get('content-security-policy') ?? '';
    const directive = (name: string) =>
      policy
        .split(';')
        .map((d) => d.trim())
        .find((d) => d.startsWith(`${name} `));
    expect(directive('script-src')).toBe("script-src 'self'");
    expect(directive('style-src')).toBe("style-src 'self'");
    expect(directive('object-src')).toBe("object-src 'none'");
    expect(directive('base-uri')).toBe("base-uri 'none'");
    expect(policy).not.toMatch(/unsafe-(inline|eval)/);
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
  });

  test('revalidation answers 304 for an unchanged file', async () => {
    const first = await fetch(`${t.url}/sw.js`);
    const etag = first.headers.get('etag')!;
    expect(etag).toBeTruthy();
    expect((await fetch(`${t.url}/sw.js`, { headers: { 'if-none-match': etag } })).status).toBe(304);
  });

  test('no path reaches outside the app folder', async () => {
    for (const path of ['/..%2fsecret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/%00']) {
      const res = await fetch(`${t.url}${path}`);
      expect([path, res.status]).toEqual([path, 404]);
      const page = await fetch(`${t.url}${path}`, { headers: html });
      expect(await page.text()).not.toContain('outside the app');
    }
  });

  test('API paths never fall back to the app', async () => {
    const res = await fetch(`${t.url}/v1/nothing`, { headers: html });
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: 'NotFound' });
  });
});

test('without a built app, / says so in plain text', async () => {
  const bare = await startTestHub({ appDir: join(root, 'missing') });
  try {
    const res = await fetch(`${bare.url}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(await res.text()).toMatch(/not built/);
  } finally {
    await bare.stop();
  }
});
