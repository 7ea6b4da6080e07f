/**
 * One Ed25519 rule in Chromium: every vector (RFC 8032 7.1, Wycheproof,
 * ed25519-speccheck, ours; src/protocol/ed25519-vectors.ts) through
 * Chromium's WebCrypto (BoringSSL), the noble fallback, pickVerify and the
 * app's verify workers, with WebCrypto and with noble inside them. Each must
 * give the rule's answer (PROTOCOL.md, "Signatures") on each vector.
 * src/protocol/ed25519-rule.test.ts runs the same list in Node.
 */
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import { build } from 'vite';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/** `entry` bundled into one classic script (a page script or a classic Worker's). */
async function bundle(entry: string): Promise<string> {
  const result = await build({
    configFile: false,
    logLevel: 'warn',
    publicDir: false,
    build: { write: false, minify: false, lib: { entry, formats: ['iife'], name: 'ed25519Rule' } },
  });
  const output = (Array.isArray(result) ? result[0]! : result) as { output: { code?: string }[] };
  return output.output[0]!.code!;
}

test("every verifier in Chromium gives the one Ed25519 rule's answer on every vector", async ({ page }) => {
  test.setTimeout(180_000); // three Vite builds on a busy machine
  const [pageScript, worker, hideSubtle] = await Promise.all([
    bundle(here('./ed25519/page.ts')),
    bundle(here('../workers/verify/verify.worker.ts')),
    bundle(here('./ed25519/hide-subtle.ts')),
  ]);
  // The same worker with crypto.subtle hidden first: it falls back to noble, as in a browser without WebCrypto Ed25519.
  const nobleWorker = `${hideSubtle}\n${worker}`;
  // http://localhost is a secure context, so WebCrypto is there; served by interception, no server needed.
  await page.route('http://localhost/', (route) =>
    route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>ed25519</title>' }),
  );
  await page.route('http://localhost/verify-worker.js', (route) =>
    route.fulfill({ contentType: 'text/javascript', body: worker }),
  );
  await page.route('http://localhost/verify-worker-noble.js', (route) =>
    route.fulfill({ contentType: 'text/javascript', body: nobleWorker }),
  );
  await page.goto('http://localhost/');
  await page.addScriptTag({ content: pageScript });

  const run = await page.evaluate(() =>
    (globalThis as unknown as { runEd25519: () => Promise<Record<string, unknown>> }).runEd25519(),
  );

  expect(run.wrong).toEqual([]);
  expect(run.disagreements).toEqual([]);
  expect(run.vectors).toBe(178);
  expect(run.valid).toBeGreaterThan(90);
  expect(run.pickedNoble).toBe(false); // Chromium has Ed25519 in WebCrypto, so the app verifies with it
  // Every signature went through the real workers, none through the pool's local fallback.
  expect(run.answered).toEqual({ '/verify-worker.js': 178, '/verify-worker-noble.js': 178 });
  expect(run.usedLocal).toBe(false);
});
