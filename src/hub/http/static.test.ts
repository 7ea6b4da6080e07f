/**
 * Serving the built PWA: content types, cache headers, the app-route fallback, no escape from appDir, and the
 * build's precompressed copies chosen by Accept-Encoding.
 */
import { mkdir, mkdtemp, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { type IncomingHttpHeaders, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type TestHub, startTestHub } from '../testing/hub-fixture.ts';
import { CONTENT_SECURITY_POLICY } from './static.ts';

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

/** A raw GET or HEAD: node:http, so the body arrives as sent (fetch would decode it) and headers are as sent. */
function raw(
  base: string,
  path: string,
  headers: Record<string, string> = {},
  method = 'GET',
): Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request(`${base}${path}`, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('precompressed copies', () => {
  let app: string;
  let hub: TestHub;
  // Text that compresses, with each line different so the copies differ from one another in size.
  const text = Array.from({ length: 400 }, (_, i) => `console.log('line ${i}', ${i * 7});`).join('\n');
  const original = Buffer.from(text);
  const br = brotliCompressSync(original);
  const gz = gzipSync(original);

  beforeAll(async () => {
    app = join(root, 'compressed');
    await mkdir(join(app, 'assets'), { recursive: true });
    await writeFile(join(app, 'index.html'), `<!doctype html><title>Murmur</title><!--${text}-->`);
    await writeFile(join(app, 'index.html.br'), brotliCompressSync(await readFile(join(app, 'index.html'))));
    await writeFile(join(app, 'index.html.gz'), gzipSync(await readFile(join(app, 'index.html'))));
    await writeFile(join(app, 'sw.js'), original);
    await writeFile(join(app, 'sw.js.br'), br);
    await writeFile(join(app, 'sw.js.gz'), gz);
    await writeFile(join(app, 'assets/both-abc.js'), original);
    await writeFile(join(app, 'assets/both-abc.js.br'), br);
    await writeFile(join(app, 'assets/both-abc.js.gz'), gz);
    await writeFile(join(app, 'assets/gz-only-abc.js'), original);
    await writeFile(join(app, 'assets/gz-only-abc.js.gz'), gz);
    await writeFile(join(app, 'assets/plain-abc.js'), original);
    // An original edited after the build: its copies are older than it, and stale.
    await writeFile(join(app, 'stale.js.br'), br);
    await writeFile(join(app, 'stale.js.gz'), gz);
    await writeFile(join(app, 'stale.js'), `${text}\n// edited`);
    await utimes(join(app, 'stale.js'), new Date(), new Date(Date.now() + 60_000));
    // Copies of one size and time (the hub reads neither), so only the coding can tell their ETags apart.
    const when = new Date(Date.now() + 120_000);
    await writeFile(join(app, 'twin.js'), original);
    for (const name of ['twin.js.br', 'twin.js.gz']) {
      await writeFile(join(app, name), gz);
      await utimes(join(app, name), when, when);
    }
    await writeFile(join(app, 'icon.png'), original);
    await writeFile(join(app, 'icon.png.br'), br);
    hub = await startTestHub({ appDir: app });
  });
  afterAll(async () => {
    await hub.stop();
  });

  const decode: Record<string, (b: Buffer) => Buffer> = {
    br: brotliDecompressSync,
    gzip: gunzipSync,
    identity: (b) => b,
  };

  test.each([
    ['/assets/both-abc.js', 'gzip, deflate, br, zstd', 'br', br.length],
    ['/assets/both-abc.js', 'br', 'br', br.length],
    ['/assets/both-abc.js', 'gzip', 'gzip', gz.length],
    ['/assets/both-abc.js', 'gzip, br;q=0', 'gzip', gz.length],
    ['/assets/both-abc.js', 'br;q=0.5, gzip;q=0.9', 'gzip', gz.length],
    ['/assets/both-abc.js', 'br;q=0, gzip;q=0', 'identity', original.length],
    ['/assets/both-abc.js', 'br;q=high, gzip', 'gzip', gz.length], // a q that is no number counts as 0
    ['/assets/both-abc.js', 'br;q=, gzip', 'gzip', gz.length],
    ['/assets/both-abc.js', '*', 'br', br.length],
    ['/assets/both-abc.js', '*, br;q=0', 'gzip', gz.length],
    ['/assets/both-abc.js', 'deflate', 'identity', original.length],
    ['/assets/both-abc.js', '', 'identity', original.length],
    ['/assets/gz-only-abc.js', 'br, gzip', 'gzip', gz.length],
    ['/assets/gz-only-abc.js', 'br', 'identity', original.length],
    ['/assets/plain-abc.js', 'br, gzip', 'identity', original.length],
    ['/sw.js', 'br, gzip', 'br', br.length],
  ])('%s with Accept-Encoding "%s" is %s', async (path, accept, coding, size) => {
    const res = await raw(hub.url, path, accept ? { 'accept-encoding': accept } : {});
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBe(coding === 'identity' ? undefined : coding);
    expect(res.headers['content-length']).toBe(String(size));
    expect(res.headers.vary).toBe('Accept-Encoding');
    expect(res.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(res.body.length).toBe(size);
    expect(decode[coding]!(res.body).equals(original)).toBe(true);
  });

  test('the app shell, by / and by an app route, comes compressed; the cache headers are unchanged', async () => {
    for (const path of ['/', '/profile/alice']) {
      const res = await raw(hub.url, path, { ...html, 'accept-encoding': 'gzip, br' });
      expect([path, res.status, res.headers['content-encoding']]).toEqual([path, 200, 'br']);
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(res.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
      expect(brotliDecompressSync(res.body).toString()).toContain('<title>Murmur</title>');
    }
    const asset = await raw(hub.url, '/assets/both-abc.js', { 'accept-encoding': 'br' });
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  });

  test('HEAD answers the headers of the chosen copy and no body', async () => {
    const res = await raw(hub.url, '/assets/both-abc.js', { 'accept-encoding': 'gzip' }, 'HEAD');
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(res.headers['content-length']).toBe(String(gz.length));
    expect(res.headers.vary).toBe('Accept-Encoding');
    expect(res.body.length).toBe(0);
  });

  test('each coding has its own ETag, and revalidation is 304 for that coding only, with Vary', async () => {
    const tags: Record<string, string> = {};
    for (const accept of ['br', 'gzip', 'identity']) {
      tags[accept] = (await raw(hub.url, '/sw.js', { 'accept-encoding': accept })).headers.etag!;
    }
    expect(new Set(Object.values(tags)).size).toBe(3);
    for (const [accept, tag] of Object.entries(tags)) {
      const same = await raw(hub.url, '/sw.js', { 'accept-encoding': accept, 'if-none-match': tag });
      expect([accept, same.status, same.headers.vary, same.headers.etag]).toEqual([
        accept,
        304,
        'Accept-Encoding',
        tag,
      ]);
      expect(same.body.length).toBe(0);
      for (const other of Object.keys(tags).filter((o) => o !== accept)) {
        const changed = await raw(hub.url, '/sw.js', { 'accept-encoding': other, 'if-none-match': tag });
        expect([accept, other, changed.status]).toEqual([accept, other, 200]);
      }
    }
  });

  test('copies of the same size and time still have ETags of their own', async () => {
    const br = await raw(hub.url, '/twin.js', { 'accept-encoding': 'br' });
    const gz = await raw(hub.url, '/twin.js', { 'accept-encoding': 'gzip' });
    expect([br.headers['content-encoding'], gz.headers['content-encoding']]).toEqual(['br', 'gzip']);
    expect(br.headers.etag).not.toBe(gz.headers.etag);
  });

  test('copies older than their original are passed over: the edited file goes out as it is', async () => {
    const res = await raw(hub.url, '/stale.js', { 'accept-encoding': 'br, gzip' });
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.body.toString()).toBe(`${text}\n// edited`);
    expect(res.headers.vary).toBe('Accept-Encoding');
  });

  test('a type that is not compressible is never sent encoded and does not vary', async () => {
    const res = await raw(hub.url, '/icon.png', { 'accept-encoding': 'br' });
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.headers.vary).toBeUndefined();
    expect(res.body.equals(original)).toBe(true);
  });
});
