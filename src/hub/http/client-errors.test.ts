/**
 * Requests Node's HTTP parser or its timers refuse, sent as raw bytes to a
 * real hub: each is answered with JSON naming its error, the status for it,
 * and Connection: close (not Node's empty or plain-text body).
 */
import { connect } from 'node:net';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type TestHub, startTestHub } from '../testing/hub-fixture.ts';

let t: TestHub;
beforeAll(async () => {
  // Short timeouts so the slow client is refused within the test; the others do not meet them.
  t = await startTestHub({ timeouts: { headersMs: 300, requestMs: 2000 } });
});
afterAll(() => t.stop());

interface RawAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: unknown;
}

/** Writes `text` and reads until the hub hangs up. */
function raw(text: string): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = connect(t.hub.port, '127.0.0.1', () => socket.write(text));
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', reject);
    socket.on('close', () => {
      const answer = Buffer.concat(chunks).toString('latin1');
      const split = answer.indexOf('\r\n\r\n');
      if (split < 0) return reject(new Error(`no HTTP answer: ${JSON.stringify(answer.slice(0, 200))}`));
      const [statusLine, ...lines] = answer.slice(0, split).split('\r\n');
      const headers = Object.fromEntries(
        lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]),
      );
      resolve({ status: Number(statusLine!.split(' ')[1]), headers, body: JSON.parse(answer.slice(split + 4)) });
    });
  });
}

function expectNamed(answer: RawAnswer, status: number, error: string): void {
  expect({ status: answer.status, error: (answer.body as { error: string }).error }).toEqual({ status, error });
  expect(typeof (answer.body as { message: unknown }).message).toBe('string');
  expect(answer.headers['content-type']).toBe('application/json; charset=utf-8');
  expect(answer.headers.connection).toBe('close');
}

test('a 100 KB URL is 431 HeadersTooLarge', async () => {
  expectNamed(
    await raw(`GET /v1/heads?authors=${'a'.repeat(100 * 1024)} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`),
    431,
    'HeadersTooLarge',
  );
});

test('a malformed request line is 400 BadRequest', async () => {
  expectNamed(await raw('GET\r\n\r\n'), 400, 'BadRequest');
  expectNamed(await raw('NOT A REQUEST LINE AT ALL\r\nHost: 127.0.0.1\r\n\r\n'), 400, 'BadRequest');
});

test('both Content-Length and Transfer-Encoding is 400 BadRequest (request smuggling)', async () => {
  const request =
    'PUT /v1/blobs/x HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n';
  expectNamed(await raw(request), 400, 'BadRequest');
});

test('an HTTP/1.1 request without Host is 400 BadRequest', async () => {
  expectNamed(await raw('GET /v1/status HTTP/1.1\r\n\r\n'), 400, 'BadRequest');
});

test('headers that never finish are 408 RequestTimeout', async () => {
  expectNamed(await raw('GET /v1/status HTTP/1.1\r\nHost: 127.0.0.1\r\n'), 408, 'RequestTimeout');
});

test('a well-formed request on the same hub is answered as usual, with nosniff', async () => {
  const res = await fetch(`${t.url}/v1/status`);
  expect(res.status).toBe(200);
  expect(res.headers.get('x-content-type-options')).toBe('nosniff');
});
