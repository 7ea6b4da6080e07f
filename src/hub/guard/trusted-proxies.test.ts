/**
 * Behind a load balancer every socket is the balancer's: with it named in
 * --trusted-proxies, each client is counted by the address the balancer saw
 * (its own write rate), and without it the header is ignored, so a client
 * cannot pick its address by writing one. The balancer's connections are not
 * held to the per-address connection cap (they are every client's).
 */
import { type Socket, connect } from 'node:net';
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

/** Opens `count` connections at once, each asking for /v1/status and kept open; @returns each one's status line. */
async function statusOverConnections(count: number): Promise<string[]> {
  const { hostname, port } = new URL(hub!.url);
  const sockets: Socket[] = [];
  try {
    return await Promise.all(
      Array.from(
        { length: count },
        (_, i) =>
          new Promise<string>((resolve, reject) => {
            const socket = connect({ host: hostname, port: Number(port) }, () =>
              socket.write(`GET /v1/status HTTP/1.1\r\nHost: ${hostname}\r\nX-Forwarded-For: 198.51.100.${i}\r\n\r\n`),
            );
            sockets.push(socket);
            let text = '';
            socket.on('data', (chunk) => {
              text += chunk;
              if (text.includes('\r\n')) resolve(text.slice(0, text.indexOf('\r\n')));
            });
            socket.on('error', reject);
          }),
      ),
    );
  } finally {
    for (const s of sockets) s.destroy();
  }
}

test("a trusted proxy's connections pass the per-address cap; anyone else's past it are refused", async () => {
  const connections = { maxConnectionsPerAddress: 2 };
  hub = await startTestHub({ connections, trustedProxies: ['127.0.0.1'] });
  expect(await statusOverConnections(5)).toEqual(Array(5).fill('HTTP/1.1 200 OK'));
  await hub.stop();
  hub = await startTestHub({ connections });
  const statuses = await statusOverConnections(5);
  expect(statuses.filter((s) => s === 'HTTP/1.1 200 OK')).toHaveLength(2);
  expect(statuses.filter((s) => s.startsWith('HTTP/1.1 503'))).toHaveLength(3);
});
