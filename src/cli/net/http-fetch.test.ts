/**
 * The command line's fetch where it must act as fetch does and the hub's contract suite
 * (src/hub-client/contract.test.ts runs it against the real hub) does not reach: a refused connection, redirects,
 * a body cut off or aborted, a body-less status, and connections kept alive between requests.
 */
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createHubClient } from '../../hub-client/client.ts';
import { freePort } from '../../hub/testing/hub-process.ts';
import { httpFetch } from './http-fetch.ts';

let connections = 0;
const routes: Record<string, (req: IncomingMessage, res: ServerResponse, body: string) => void> = {
  '/echo': (req, res, body) => res.end(JSON.stringify({ method: req.method, body, type: req.headers['content-type'] })),
  '/see-other': (_req, res) => res.writeHead(303, { location: '/echo' }).end(),
  '/temporary': (_req, res) => res.writeHead(307, { location: '/echo' }).end(),
  '/loop': (_req, res) => res.writeHead(302, { location: '/loop' }).end(),
  '/empty': (_req, res) => res.writeHead(204).end(),
  '/cut': (_req, res) => {
    res.writeHead(200, { 'content-length': '100' }).write('only ten..');
    setImmediate(() => res.socket?.destroy());
  },
  '/slow': (_req, res) => res.writeHead(200).write('a first part'), // and never the rest
};
const server = createServer((req, res) => {
  let body = '';
  req.on('data', (chunk: Buffer) => (body += chunk));
  req.on('end', () => routes[req.url!]!(req, res, body));
});
server.on('connection', () => connections++);
let base = '';

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const textOf = async (res: Response) => {
  let text = '';
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) text += new TextDecoder().decode(chunk);
  return text;
};

test('a hub that refuses the connection is Offline, naming the cause, as with fetch', async () => {
  const closed = `http://127.0.0.1:${await freePort()}`;
  const refusal = await httpFetch(closed).catch((error: unknown) => error);
  expect(refusal).toBeInstanceOf(TypeError);
  expect((refusal as { cause: { code: string } }).cause.code).toBe('ECONNREFUSED');
  const error = await createHubClient(closed, httpFetch)
    .hubInfo()
    .catch((e: unknown) => e);
  expect(error).toMatchObject({ name: 'Offline', message: expect.stringContaining('ECONNREFUSED') });
});

test('redirects as fetch follows them: a 303 as a GET without the body, a 307 as sent; a loop fails', async () => {
  const post = { method: 'POST', body: '{"a":1}', headers: { 'content-type': 'application/json' } };
  const seeOther = await httpFetch(`${base}/see-other`, post);
  expect(JSON.parse(await textOf(seeOther))).toEqual({ method: 'GET', body: '' });
  const temporary = await httpFetch(`${base}/temporary`, post);
  expect(JSON.parse(await textOf(temporary))).toEqual({ method: 'POST', body: '{"a":1}', type: 'application/json' });
  await expect(httpFetch(`${base}/loop`)).rejects.toThrow(TypeError);
});

test('a 204 has no body; a body cut off or aborted fails its reading', async () => {
  const empty = await httpFetch(`${base}/empty`);
  expect([empty.status, empty.ok, empty.body]).toEqual([204, true, null]);

  const cut = await httpFetch(`${base}/cut`);
  expect(cut.headers.get('Content-Length')).toBe('100');
  await expect(textOf(cut)).rejects.toThrow();

  const stop = new AbortController();
  const slow = await httpFetch(`${base}/slow`, { signal: stop.signal });
  const reader = (slow.body as unknown as { getReader(): { read(): Promise<{ value?: Uint8Array }> } }).getReader();
  expect(new TextDecoder().decode((await reader.read()).value)).toBe('a first part');
  const reason = new Error('stopped');
  stop.abort(reason);
  await expect(reader.read()).rejects.toBe(reason);
  await expect(httpFetch(`${base}/echo`, { signal: stop.signal })).rejects.toBe(reason);
});

test('requests one after another share one kept-alive connection', async () => {
  const before = connections;
  for (let i = 0; i < 3; i++) expect(JSON.parse(await (await httpFetch(`${base}/echo`)).text())).toMatchObject({});
  expect(connections - before).toBe(1);
});
