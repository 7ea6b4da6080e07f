/**
 * Requests Node refuses before any route sees them (headers too large, a
 * request line or framing it cannot parse, a client too slow to send its
 * request) answered like every other refusal: `{ error, message }` JSON with
 * a named error, instead of Node's empty or plain-text body.
 */
import { STATUS_CODES, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ProtocolErrorName } from '../../protocol/errors.ts';
import { type ErrorBody, STATUS_OF } from '../../protocol/routes.ts';

/** What the refusal says for an error `code` from Node's HTTP parser or its request timer. */
export function clientErrorOf(code: string | undefined): { name: ProtocolErrorName; message: string } {
  if (code === 'HPE_HEADER_OVERFLOW')
    return { name: 'HeadersTooLarge', message: "the request line and headers are over this hub's limit" };
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT')
    return { name: 'RequestTimeout', message: 'the request did not arrive in time' };
  return { name: 'BadRequest', message: `the request is not well-formed HTTP/1.1 (${code ?? 'unknown'})` };
}

/** The whole raw answer: the socket has no ServerResponse to write through. */
export function clientErrorAnswer(code: string | undefined): string {
  const { name, message } = clientErrorOf(code);
  const body = JSON.stringify({ error: name, message } satisfies ErrorBody);
  return [
    `HTTP/1.1 ${STATUS_OF[name]} ${STATUS_CODES[STATUS_OF[name]]}`,
    'Content-Type: application/json; charset=utf-8',
    `Content-Length: ${Buffer.byteLength(body)}`,
    'Access-Control-Allow-Origin: *',
    'X-Content-Type-Options: nosniff',
    'Cache-Control: no-store',
    'Connection: close',
    '',
    body,
  ].join('\r\n');
}

/**
 * How long a refused connection is kept to read (and drop) what the client is
 * still sending: closing a socket with unread bytes sends a reset, which can
 * make the client lose the answer before it reads it.
 */
const LINGER_MS = 1000;

/** Answers each client error on `server` with its named error, then hangs up. */
export function answerClientErrors(server: Server): void {
  const answered = new WeakSet<Duplex>();
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    if (answered.has(socket)) return; // the parser may report the same broken request again while we linger
    answered.add(socket);
    // As Node's own handler: once an answer to this connection's request has begun,
    // another would be written into its middle; and a reset peer hears nothing.
    const current = (socket as { _httpMessage?: ServerResponse })._httpMessage;
    if (!socket.writable || error.code === 'ECONNRESET' || current?.headersSent) return void socket.destroy();
    socket.end(clientErrorAnswer(error.code));
    socket.resume();
    setTimeout(() => socket.destroy(), LINGER_MS).unref();
  });
}
