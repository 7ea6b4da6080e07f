/**
 * The command line's fetch for the hub client (src/hub-client takes a fetch
 * as a seam): the subset of fetch the client uses, over node:http and
 * node:https. Node's own fetch (undici) is loaded on its first call, and in a
 * short command that load was most of a warm `timeline`'s network cost: its
 * JavaScript compiled, its WebAssembly HTTP parser compiled, its web streams
 * built (bench/cli.bench.ts profiles); node:http is part of Node's own
 * startup snapshot and parses in C.
 *
 * What it keeps of fetch: the method, headers and body sent; an AbortSignal
 * that stops the request and the body's reading (rejecting with its reason);
 * redirects followed as fetch follows them; a failure to connect rejected as
 * fetch rejects it (TypeError "fetch failed" with the system error as its
 * cause, which request.ts names Offline); connections kept alive between
 * requests to one hub (an idle one never keeps the process alive). The
 * answer is a Response in the parts the hub client reads: ok, status,
 * statusText, headers.get, a body (null for 204, 205 and 304) read as an
 * async iterable of bytes or cancelled, and text, json and arrayBuffer.
 * It asks for no compression, so none is sent.
 */
import { Agent, type IncomingMessage, type OutgoingHttpHeaders, request as httpRequest } from 'node:http';
import { createRequire } from 'node:module';
import type { Fetch } from '../../hub-client/request.ts';

/** Statuses whose answer has no body (the Fetch standard's null body statuses, less 101). */
const NULL_BODY = new Set([204, 205, 304]);
const REDIRECTS = new Set([301, 302, 303, 307, 308]);
/** Fetch's limit: a twenty-first redirect is a network error. */
const MAX_REDIRECTS = 20;

const agents: { http?: Agent; https?: Agent } = {};

/** One keep-alive agent per scheme, made on first use. */
function agentFor(https: typeof import('node:https') | undefined): Agent {
  if (https) {
    agents.https ??= new https.Agent({ keepAlive: true });
    return agents.https;
  }
  agents.http ??= new Agent({ keepAlive: true });
  return agents.http;
}

/** A fetch over node:http(s) for the hub client. */
export const httpFetch: Fetch = async (input, init = {}) => {
  const signal = init.signal ?? undefined;
  signal?.throwIfAborted();
  let url = new URL(input);
  let method = (init.method ?? 'GET').toUpperCase();
  let body = bodyBytes(init.body);
  const headers = headerRecord(init.headers);
  for (let redirects = 0; ; redirects++) {
    const res = await send(url, method, headers, body, signal);
    const location = res.headers.location;
    if (!REDIRECTS.has(res.statusCode ?? 0) || location === undefined) return answer(res, signal);
    res.destroy();
    if (redirects === MAX_REDIRECTS)
      throw new TypeError('fetch failed', { cause: new Error('redirect count exceeded') });
    url = new URL(location, url);
    // As fetch: a 303, or a 301 or 302 after a POST, is followed by a GET without the body.
    if (res.statusCode === 303 || ((res.statusCode === 301 || res.statusCode === 302) && method === 'POST')) {
      if (method !== 'HEAD') method = 'GET';
      body = undefined;
      delete headers['content-type'];
    }
  }
};

function send(
  url: URL,
  method: string,
  headers: OutgoingHttpHeaders,
  body: Uint8Array | undefined,
  signal: AbortSignal | undefined,
): Promise<IncomingMessage> {
  const secure = url.protocol === 'https:';
  if (!secure && url.protocol !== 'http:') throw new TypeError('fetch failed', { cause: new Error('unknown scheme') });
  // node:https (and TLS under it) loaded only for a hub that needs it; by require, not import(): the bundle is a
  // script (src/cli/boot/loader.cjs).
  const https = secure ? (createRequire(import.meta.url)('node:https') as typeof import('node:https')) : undefined;
  const make = https ? https.request : httpRequest;
  const agent = agentFor(https);
  return new Promise((resolve, reject) => {
    const sent = { ...headers, ...(body && { 'content-length': String(body.length) }) };
    const req = make(url, { method, headers: sent, agent, ...(signal && { signal }) });
    req.once('response', resolve);
    req.once('error', (error) =>
      reject(signal?.aborted ? signal.reason : new TypeError('fetch failed', { cause: error })),
    );
    req.end(body);
  });
}

function answer(res: IncomingMessage, signal: AbortSignal | undefined): Response {
  const status = res.statusCode ?? 0;
  const empty = NULL_BODY.has(status);
  if (empty) res.resume();
  const body = empty ? null : bodyOf(res, signal);
  const bytes = async () => {
    const chunks: Uint8Array[] = [];
    if (body) for await (const chunk of body) chunks.push(chunk);
    return Buffer.concat(chunks);
  };
  const fields = {
    ok: status >= 200 && status < 300,
    status,
    statusText: res.statusMessage ?? '',
    headers: {
      get: (name: string) => {
        const value = res.headers[name.toLowerCase()];
        return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
      },
    },
    body,
    text: async () => (await bytes()).toString('utf8'),
    json: async () => JSON.parse((await bytes()).toString('utf8')) as unknown,
    arrayBuffer: async () => {
      const all = await bytes();
      return all.buffer.slice(all.byteOffset, all.byteOffset + all.length);
    },
  };
  // Only the parts above: the hub client reads no other (src/hub-client/request.ts, bounded-read.ts, client.ts).
  return fields as unknown as Response;
}

/**
 * The body as the hub client reads it: async iteration of bytes (leaving the loop early drops the rest), a
 * reader (as the contract suite reads a stream: read, releaseLock), and cancel().
 */
function bodyOf(res: IncomingMessage, signal: AbortSignal | undefined) {
  const onAbort = () => res.destroy(signal!.reason as Error);
  signal?.addEventListener('abort', onAbort, { once: true });
  res.once('close', () => signal?.removeEventListener('abort', onAbort));
  async function* read(): AsyncGenerator<Uint8Array> {
    // Plain Uint8Array views, as fetch gives (a Buffer's slice() shares memory where a Uint8Array's copies).
    // A body cut off (the connection closed early) fails here with Node's "aborted", as fetch's fails.
    for await (const chunk of res as AsyncIterable<Buffer>)
      yield new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length);
  }
  let started: AsyncGenerator<Uint8Array> | undefined;
  const chunks = () => {
    started ??= read();
    return started;
  };
  const cancel = async () => {
    // A whole answer is drained, so its connection serves the next request; one still arriving is dropped.
    if (res.complete) res.resume();
    else res.destroy();
  };
  return {
    [Symbol.asyncIterator]: chunks,
    getReader: () => ({
      read: () => chunks().next(),
      releaseLock: () => {},
      cancel,
    }),
    cancel,
  };
}

function bodyBytes(body: RequestInit['body']): Uint8Array | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  if (body instanceof Uint8Array) return body;
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  throw new TypeError('httpFetch sends a string or bytes as a body');
}

/** The headers to send, lower-cased: a record (what the hub client passes), pairs, or a Headers-like. */
function headerRecord(headers: RequestInit['headers']): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  const add = (value: string, name: string) => {
    out[name.toLowerCase()] = value;
  };
  if (headers === undefined) return out;
  if (Array.isArray(headers)) for (const [name, value] of headers) add(value!, name!);
  // Duck-typed: naming the global Headers would load undici, which this module is here to avoid.
  else if (typeof (headers as Headers).forEach === 'function') (headers as Headers).forEach(add);
  else for (const [name, value] of Object.entries(headers)) add(value, name);
  return out;
}
