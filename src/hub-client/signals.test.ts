/**
 * A client under a long-lived signal (a mirror's peer session) leaves nothing
 * on it per request: no listener, no dependent signal (Node 20's
 * AbortSignal.any kept one per call: signals.ts), and no timer once answered.
 */
import { getEventListeners } from 'node:events';
import { expect, test } from 'vitest';
import { createHubClient } from './client.ts';
import { exchangeSignal } from './signals.ts';

/** How many signals Node's AbortSignal.any has made dependent on `signal` (an internal set; 0 when none). */
function dependants(signal: AbortSignal): number {
  const key = Object.getOwnPropertySymbols(signal).find((s) => s.description === 'kDependantSignals');
  return key ? ((signal as unknown as Record<symbol, Set<unknown>>)[key]?.size ?? 0) : 0;
}

test('1,000 bounded requests under one long-lived signal leave no listener or dependent signal on it', async () => {
  const session = new AbortController();
  const answer = () => new Response(JSON.stringify({ heads: {} }), { headers: { 'content-type': 'application/json' } });
  const client = createHubClient('https://hub.example', async () => answer(), undefined, {
    signal: session.signal,
    timeoutMs: 30_000,
  });
  for (let i = 0; i < 1_000; i++) await client.hubInfo().catch(() => undefined);
  expect(getEventListeners(session.signal, 'abort')).toHaveLength(0);
  expect(dependants(session.signal)).toBe(0);

  // Positive control: what the client did before, AbortSignal.any with a timeout, leaves one per call.
  for (let i = 0; i < 10; i++) AbortSignal.any([session.signal, AbortSignal.timeout(30_000)]);
  expect(dependants(session.signal)).toBe(10);
});

test('an exchange signal aborts with its parent or its deadline, and not once released', async () => {
  const parent = new AbortController();
  const a = exchangeSignal([parent.signal]);
  expect(a.signal).toBe(parent.signal); // one parent and no timeout: that signal itself

  const b = exchangeSignal([parent.signal], 60_000);
  parent.abort(new Error('session over'));
  expect(b.signal?.reason).toEqual(new Error('session over'));
  expect(b.deadline?.aborted).toBe(false);
  b.release();

  const c = exchangeSignal([], 1);
  await new Promise((resolve) => c.signal!.addEventListener('abort', resolve));
  expect([c.deadline?.aborted, (c.signal!.reason as DOMException).name]).toEqual([true, 'TimeoutError']);

  const other = new AbortController();
  const d = exchangeSignal([other.signal], 60_000);
  d.release();
  other.abort();
  expect(d.signal?.aborted).toBe(false);
});
