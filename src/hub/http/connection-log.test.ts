/**
 * The measurement log (connection-log.ts): each request is named with the connection it came on, so
 * requests on one keep-alive connection share a number and a second connection gets another.
 */
import { Agent, request } from 'node:http';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type TestHub, alice, startTestHub } from '../testing/hub-fixture.ts';
import type { ConnectionLogLine } from './connection-log.ts';

const lines: ConnectionLogLine[] = [];
let t: TestHub;
beforeAll(async () => {
  t = await startTestHub({ connectionLog: (line) => lines.push(JSON.parse(line) as ConnectionLogLine) });
});
afterAll(() => t.stop());

/** GETs `path` on `agent`'s connections, with murmur-author (and a user-agent) when `author` is given. */
function get(agent: Agent, path: string, author?: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const headers = author ? { 'murmur-author': author, 'user-agent': 'a test' } : undefined;
    const req = request(`${t.url}${path}`, { agent, ...(headers && { headers }) }, (res) => {
      res.resume();
      res.on('end', resolve);
    });
    req.on('error', reject);
    req.end();
  });
}

test('requests on one keep-alive connection share its number; another connection has its own', async () => {
  const first = new Agent({ keepAlive: true, maxSockets: 1 });
  const second = new Agent({ keepAlive: true, maxSockets: 1 });
  try {
    await get(first, `/v1/heads?authors=${alice}`);
    await get(first, '/.well-known/murmur.json', alice);
    await get(second, '/.well-known/murmur.json');
  } finally {
    first.destroy();
    second.destroy();
  }
  expect(lines.map(({ method, target, author, userAgent }) => ({ method, target, author, userAgent }))).toEqual([
    { method: 'GET', target: `/v1/heads?authors=${alice}`, author: undefined, userAgent: undefined },
    { method: 'GET', target: '/.well-known/murmur.json', author: alice, userAgent: 'a test' },
    { method: 'GET', target: '/.well-known/murmur.json', author: undefined, userAgent: undefined },
  ]);
  const [a, b, c] = lines;
  expect(a!.connection).toBeGreaterThan(0);
  expect(b!.connection).toBe(a!.connection);
  expect(b!.remotePort).toBe(a!.remotePort);
  expect(c!.connection).not.toBe(a!.connection);
});
