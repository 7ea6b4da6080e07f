/**
 * "Keys never leave the device", checked where they could leave: every
 * request the app makes and everything it stores, through onboarding, a
 * post, a DM and a backup export. The hub is a real hub behind a recording
 * proxy (e2e/lying-hub.ts, never told to lie), the only hub the session
 * talks to, so every request from the page, its workers and the service
 * worker is recorded with its body as it reached the network; Playwright's
 * own view of the context's requests is kept too, and checked to name no
 * other origin. Storage: every IndexedDB write logged in the page and its
 * workers (e2e/write-log.ts), then everything IndexedDB, localStorage and
 * the caches hold at the end (e2e/idb-dump.ts).
 *
 * The secret key is taken from the backup file, decrypted here by the
 * project's own decodeBackup; the keys derived from it (the DM key, the
 * private-state keys) are derived by the protocol's own functions. Each is
 * searched for as hex (both cases), base64 (padded or not, and as a URL
 * component), base64url, a list of decimal bytes, and raw bytes.
 *
 * Not proven here: a write that a worker makes before its log is installed
 * and that is gone by the end; anything outside the browser (the download
 * is the backup the person asked for, encrypted with their passphrase).
 */
import { readFile } from 'node:fs/promises';
import type { Page } from '@playwright/test';
import { dmSecretOf } from '../src/protocol/dm.ts';
import { pseudonymOf } from '../src/protocol/keys.ts';
import { derivePrivateKeys } from '../src/protocol/private-seal.ts';
import { decodeBackup } from '../workers/keys/backup.ts';
import { expect, onboard, publish, test } from './fixtures.ts';
import { dumpIndexedDb } from './idb-dump.ts';
import { startLyingHub } from './lying-hub.ts';
import { logWrites, loggedWrites } from './write-log.ts';

/** Every text form of `bytes` the search looks for (raw bytes are looked for apart). */
function encodings(bytes: Uint8Array): string[] {
  const b = Buffer.from(bytes);
  const base64 = b.toString('base64');
  return [
    b.toString('hex'),
    b.toString('hex').toUpperCase(),
    base64,
    base64.replace(/=+$/, ''),
    encodeURIComponent(base64),
    b.toString('base64url'),
    Array.from(bytes).join(','),
  ];
}

/** Whether `haystack` holds `secret` in any form. */
function holds(haystack: string | Buffer, secret: Uint8Array): boolean {
  const text = typeof haystack === 'string' ? haystack : haystack.toString('latin1');
  if (typeof haystack !== 'string' && haystack.indexOf(Buffer.from(secret)) >= 0) return true;
  return encodings(secret).some((e) => text.includes(e));
}

/** What the origin holds at the end beyond IndexedDB: localStorage, sessionStorage, the caches' URLs. */
async function otherStorage(page: Page): Promise<string[]> {
  return page.evaluate(async () => {
    const out = [...Object.entries(localStorage), ...Object.entries(sessionStorage)].map(([k, v]) => `${k}=${v}`);
    for (const name of await caches.keys())
      for (const req of await (await caches.open(name)).keys()) out.push(`cache ${name} ${req.url}`);
    return out;
  });
}

test('no request the app makes and nothing it stores holds a secret key, except the keyring row', async ({
  browser,
}) => {
  const hub = await startLyingHub('keys');
  try {
    const context = await browser.newContext({ acceptDownloads: true });
    await logWrites(context);
    const seen: { url: string; headers: Record<string, string>; body: Buffer | null }[] = [];
    context.on('request', (r) => seen.push({ url: r.url(), headers: r.headers(), body: r.postDataBuffer() }));
    const alice = await context.newPage();
    const bob = await (await browser.newContext()).newPage();

    // Onboarding (key made, handle claimed, name and DM key published), a post, a DM, a backup.
    await onboard(alice, hub, 'Alice', 'alice');
    const bobHandle = await onboard(bob, hub, 'Bob', 'bob');
    await publish(alice, 'a post on the way out');
    await expect(alice.getByTestId('sync-status')).toHaveText('Synced');
    await alice.getByRole('link', { name: /^Messages/ }).click();
    await alice.getByLabel('Their handle').fill(bobHandle);
    await alice.getByRole('button', { name: 'Write' }).click();
    await alice.getByLabel('Message', { exact: true }).fill('a private word');
    await alice.getByRole('button', { name: 'Send' }).click();
    const sent = alice.getByTestId('dm').filter({ hasText: 'a private word' });
    await expect(sent.getByTestId('dm-state')).toHaveText('Sent');
    await alice.getByRole('link', { name: 'Settings' }).click();
    await alice.getByLabel('Passphrase for the backup').fill('a long backup passphrase');
    const [download] = await Promise.all([
      alice.waitForEvent('download'),
      alice.getByRole('button', { name: 'Export backup' }).click(),
    ]);
    await expect(alice.getByTestId('backup-status')).toContainText('Saved');
    const backup = await decodeBackup(
      new Uint8Array(await readFile((await download.path())!)),
      'a long backup passphrase',
    );
    const aliceId = (await alice.getByRole('link', { name: 'My profile' }).getAttribute('href'))!.split('/').at(-1);
    expect(pseudonymOf(backup.secretKey)).toBe(aliceId);
    const derived = derivePrivateKeys(backup.secretKey);
    const secrets = {
      'the secret key': backup.secretKey,
      'the DM key': dmSecretOf(backup.secretKey),
      'the private-state key': derived.aeadKey,
      'the private-state pointer key': derived.pointerKey,
    };

    // The network: everything that reached the hub, and nothing went elsewhere.
    const requests = hub.requests;
    const sawWrite = (method: string, path: string) =>
      requests.some((r) => r.method === method && r.url.startsWith(path));
    expect(sawWrite('PUT', `/v1/heads/${aliceId}`)).toBe(true);
    expect(sawWrite('PUT', '/v1/handles/alice')).toBe(true);
    expect(sawWrite('PUT', '/v1/blobs/')).toBe(true);
    expect(requests.some((r) => r.url.startsWith('/v1/inbox/'))).toBe(true); // the DM's notice
    const origins = new Set(seen.map((r) => new URL(r.url).origin).filter((o) => o.startsWith('http')));
    expect([...origins]).toEqual([hub.url]);
    for (const [name, secret] of Object.entries(secrets)) {
      const leaks = [
        ...requests.filter(
          (r) => holds(`${r.method} ${r.url} ${JSON.stringify(r.headers)}`, secret) || holds(r.body, secret),
        ),
        ...seen.filter(
          (r) => holds(`${r.url} ${JSON.stringify(r.headers)}`, secret) || (r.body && holds(r.body, secret)),
        ),
      ];
      expect(
        leaks.map((r) => r.url),
        `${name} sent`,
      ).toEqual([]);
    }

    // Storage: the key is written to the keyring row and nowhere else; the keys derived from it never are.
    const writes = await loggedWrites(alice);
    const stored = [...(await dumpIndexedDb(alice)).lines, ...(await otherStorage(alice))];
    expect(writes.some((w) => w.includes('/pseudonyms ') && holds(w, backup.secretKey))).toBe(true);
    expect(stored.some((l) => l.includes('/pseudonyms ') && holds(l, backup.secretKey))).toBe(true);
    for (const [name, secret] of Object.entries(secrets)) {
      const outside = [...writes, ...stored].filter((l) => holds(l, secret) && !l.includes('/pseudonyms '));
      expect(outside, `${name} stored`).toEqual([]);
    }
  } finally {
    await hub.stop();
  }
});
