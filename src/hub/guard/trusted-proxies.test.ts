/**
 * Behind a load balancer every socket is the balancer's: with it named in
 * --trusted-proxies, each client is counted by the address the balancer saw
 * (its own write rate), and without it the header is ignored, so a client
 * cannot pick its address by writing one.
 */
import { afterEach, expect, test } from 'vitest';
import {
  type TestHub,
  alice,
  aliceKey,
  bob,
  bobKey,
  errorName,
  signedHead,
  startTestHub,
} from '../testing/hub-fixture.ts';

let hub: TestHub | undefined;
afterEach(() => hub?.stop());

/** One write per client address until the test ends. */
const ONE_WRITE = { perIp: { perSecond: 0.0001, burst: 1 } };

async function putHeadFrom(forwardedFor: string, who: 'alice' | 'bob'): Promise<string> {
  const [key, id] = who === 'alice' ? [aliceKey, alice] : [bobKey, bob];
  const res = await fetch(`${hub!.url}/v1/heads/${id}`, {
    method: 'PUT',
    body: new Uint8Array(signedHead(key, 1).head.bytes),
    headers: { 'x-forwarded-for': forwardedFor },
  });
  return res.ok ? String(res.status) : errorName(res);
}

test('behind a trusted proxy, two clients have a write each', async () => {
  hub = await startTestHub({ limits: ONE_WRITE, trustedProxies: ['127.0.0.1'] });
  expect(await putHeadFrom('198.51.100.1', 'alice')).toBe('200');
  expect(await putHeadFrom('198.51.100.2', 'bob')).toBe('200');
});

test('without one, the header is ignored: both writes count as the socket address; the second is refused', async () => {
  hub = await startTestHub({ limits: ONE_WRITE });
  expect(await putHeadFrom('198.51.100.1', 'alice')).toBe('200');
  expect(await putHeadFrom('198.51.100.2', 'bob')).toBe('429 RateLimited');
});
