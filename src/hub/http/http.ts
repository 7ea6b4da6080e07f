/**
 * HTTP plumbing shared by the routes: bounded body reading, JSON answers,
 * error answers (`{ error, message }` with the status from STATUS_OF) and the
 * CORS headers every API answer carries (reads are public; any origin's PWA
 * may use any hub).
 */
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { ProtocolError, type ProtocolErrorName } from '../../protocol/errors.ts';
import { AUTH_HEADERS } from '../../protocol/request-auth.ts';
import { type ErrorBody, STATUS_OF } from '../../protocol/routes.ts';

/** Bodies that are not blobs (heads, claims, id lists) are small; this bounds what a request can make us buffer. */
export const SMALL_BODY_BYTES = 64 * 1024;

/** After a body passes its limit, read (and drop) this much more so the client sees our answer, then hang up. */
const DRAIN_BYTES = 16 * 1024 * 1024;

// Retry-After is exposed so a PWA on another origin can honour a RateLimited answer.
export const CORS_HEADERS: OutgoingHttpHeaders = {
  'access-control-allow-origin': '*',
  'access-control-expose-headers': 'retry-after',
};

export const PREFLIGHT_HEADERS: OutgoingHttpHeaders = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, PUT, POST, OPTIONS',
  'access-control-allow-headers': ['content-type', 'last-event-id', ...Object.values(AUTH_HEADERS)].join(', '),
  'access-control-max-age': '86400',
};

/**
 * Reads the whole body, counting as it streams.
 * @throws ProtocolError TooLarge past `limit` bytes (nothing beyond the limit is kept).
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    const chunks: Buffer[] = [];
    let size = 0;
    const tooLarge = () => new ProtocolError('TooLarge', `the body is over the limit of ${limit} bytes`);
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
      else if (size > limit + DRAIN_BYTES) {
        req.pause();
        reject(tooLarge());
      } else chunks.length = 0;
    });
    req.on('end', () => (size > limit ? reject(tooLarge()) : resolve(Buffer.concat(chunks, size))));
    req.on('error', reject);
    // A client that announces an oversized body is answered at once rather than read.
    if (declared > limit + DRAIN_BYTES) {
      req.pause();
      reject(tooLarge());
    }
  });
}

/** Parses a small JSON body (at most `limit` bytes). @throws ProtocolError TooLarge, DecodeError */
export async function readJsonBody(req: IncomingMessage, limit = SMALL_BODY_BYTES): Promise<unknown> {
  const bytes = await readBody(req, limit);
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new ProtocolError('DecodeError', 'the body is not JSON');
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: OutgoingHttpHeaders = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...CORS_HEADERS,
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
    ...headers,
  });
  res.end(text);
}

export function sendError(
  res: ServerResponse,
  name: ProtocolErrorName,
  message: string,
  headers: OutgoingHttpHeaders = {},
): void {
  const body: ErrorBody = { error: name, message };
  sendJson(res, STATUS_OF[name], body, headers);
}

/**
 * Answers a thrown error: a ProtocolError by its name; StoreUnavailable
 * (store/store-errors.ts, matched by name: http/ sits below the stores) as a
 * 503 to retry; anything else as a 500 (logged, since it is our fault, not
 * the client's). Neither of the last two is a protocol name: a client reads
 * them as HubUnavailable.
 */
export function sendFailure(req: IncomingMessage, res: ServerResponse, error: unknown): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  // If the request body was not read to its end the connection cannot carry another request.
  const headers: OutgoingHttpHeaders = req.complete ? {} : { connection: 'close' };
  if (error instanceof ProtocolError) {
    const wait = error.context.retryAfterMs;
    if (typeof wait === 'number') headers['retry-after'] = String(Math.max(1, Math.ceil(wait / 1000)));
    sendError(res, error.name, error.message, headers);
    return;
  }
  if (error instanceof Error && error.name === 'StoreUnavailable') {
    // The hub's storage (its database, its bucket) cannot be reached: a 503 the client retries, not a bug.
    console.error(`hub: ${error.message}`);
    headers['retry-after'] = '1';
    sendJson(
      res,
      503,
      { error: 'StoreUnavailable', message: "the hub's storage cannot be reached now; try again" },
      headers,
    );
    return;
  }
  console.error('hub: request failed', error);
  sendJson(res, 500, { error: 'InternalError', message: 'the hub failed to answer; try again' }, headers);
}

/** @throws ProtocolError BadRequest unless the parameter is absent or a non-negative integer. */
export function intParam(url: URL, name: string, fallback: number): number {
  const text = url.searchParams.get(name);
  if (text === null || text === '') return fallback;
  const n = Number(text);
  if (!/^[0-9]+$/.test(text) || !Number.isSafeInteger(n))
    throw new ProtocolError('BadRequest', `${name}: expected a non-negative integer`);
  return n;
}
