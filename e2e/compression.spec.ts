/**
 * The real build's precompressed copies, served by the real hub (issue 22,
 * first paint): every hashed script of dist/app has a brotli and a gzip copy
 * beside it (scripts/precompress.ts), the hub sends them to a client that
 * asks, and Chromium, which asks, gets the app's scripts as brotli and runs
 * them. The handler's rules in detail: src/hub/http/static.test.ts.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { type IncomingHttpHeaders, request } from 'node:http';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { expect, test } from './fixtures.ts';

const APP = join(import.meta.dirname, '..', 'dist', 'app');

/** A raw GET: node:http, so the body is as sent (Playwright's request and fetch would decode it). */
function get(url: string, acceptEncoding: string): Promise<{ headers: IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    request(url, { headers: { 'accept-encoding': acceptEncoding } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    })
      .on('error', reject)
      .end();
  });
}

test('the build writes .br and .gz beside every hashed script worth compressing', async () => {
  const scripts = (await readdir(join(APP, 'assets'))).filter((name) => name.endsWith('.js'));
  const large = [];
  for (const name of scripts) if ((await stat(join(APP, 'assets', name))).size >= 4096) large.push(name);
  // The entry, the core worker and its full core at least.
  expect(large.length).toBeGreaterThanOrEqual(3);
  for (const name of large) {
    const original = await readFile(join(APP, 'assets', name));
    const br = await readFile(join(APP, 'assets', `${name}.br`));
    const gz = await readFile(join(APP, 'assets', `${name}.gz`));
    expect([name, br.length < original.length, gz.length < original.length]).toEqual([name, true, true]);
    expect(brotliDecompressSync(br).equals(original)).toBe(true);
    expect(gunzipSync(gz).equals(original)).toBe(true);
  }
  expect((await stat(join(APP, 'sw.js.br'))).isFile()).toBe(true);
});

test('the hub sends the entry script as brotli or gzip as asked, and Chromium runs the brotli one', async ({
  page,
  hubA,
}) => {
  const shell = await get(`${hubA.url}/`, 'identity');
  // The entry: the first screen's chunk (scripts/first-screen-chunk.ts), beside the bundler's small runtime.
  const entry = /<script[^>]+src="(\/assets\/first-screen-[^"]+\.js)"/.exec(shell.body.toString())?.[1];
  expect(entry).toBeTruthy();
  const original = await readFile(join(APP, entry!));

  const br = await get(`${hubA.url}${entry}`, 'gzip, deflate, br');
  expect(br.headers['content-encoding']).toBe('br');
  expect(br.headers.vary).toBe('Accept-Encoding');
  expect(Number(br.headers['content-length'])).toBe(br.body.length);
  expect(br.body.length).toBeLessThan(original.length / 2);
  expect(brotliDecompressSync(br.body).equals(original)).toBe(true);
  const gz = await get(`${hubA.url}${entry}`, 'gzip');
  expect(gz.headers['content-encoding']).toBe('gzip');
  expect(gunzipSync(gz.body).equals(original)).toBe(true);
  const sw = await get(`${hubA.url}/sw.js`, 'br');
  expect([sw.headers['content-encoding'], sw.headers['cache-control']]).toEqual(['br', 'no-cache']);

  const answered = page.waitForResponse((res) => new URL(res.url()).pathname === entry);
  await page.goto(hubA.url);
  expect((await (await answered).allHeaders())['content-encoding']).toBe('br');
  await expect(page.getByRole('button', { name: 'Create pseudonym' })).toBeVisible();
});
