/**
 * Signed requests: how a hub knows which pseudonym a write comes from, so it
 * can apply per-pseudonym quotas, without accounts or tokens. The client signs
 * `{type:"request", author, method, path, body, ts, host, nonce}` where `body`
 * is the sha256 of the request body, `path` includes the query, `host` is the
 * hub it is sent to (host[:port], lower case, as in the Host header) and
 * `nonce` 16 random bytes in hex; all but method, path and body travel in
 * headers. A hub refuses a request more than 5 minutes off its clock, one
 * signed for another host (WrongHost), and one it has already seen or that
 * was signed before it started (Replayed): a signed request is good once, on
 * one hub (PROTOCOL.md, "Signed requests").
 *
 * Each request is signed by exactly one pseudonym; a client never signs for
 * two pseudonyms on one connection (see DESIGN.md, unlinkability).
 */
import { isLowerHex, toHex } from './bytes.ts';
import { ProtocolError } from './errors.ts';
import { type PseudonymId, hashBytes, isPseudonymId } from './ids.ts';
import { type SecretKey, type Verify, pseudonymOf } from './keys.ts';
import { type Fields, buildSigned, verifySigned } from './signed.ts';
import { encodeCanonical } from './canonical.ts';

export const AUTH_HEADERS = {
  author: 'murmur-author',
  ts: 'murmur-ts',
  host: 'murmur-host',
  nonce: 'murmur-nonce',
  sig: 'murmur-sig',
} as const;

/** How far a request's time may be from the hub's clock. */
export const REQUEST_SKEW_MS = 5 * 60 * 1000;

/** Random bytes in a request nonce (sent as 32 lowercase hex characters). */
export const REQUEST_NONCE_BYTES = 16;

export interface RequestToSign {
  readonly method: string;
  /** Path and query, e.g. /v1/inbox/abc?cursor=3 */
  readonly path: string;
  readonly body: Uint8Array;
  /**
   * hashBytes(body), when the caller has it already: signing one body for many times (a handoff's slots,
   * workers/sync/handoff.ts) then hashes it once. Trusted as given: a wrong one only makes the hub refuse.
   */
  readonly bodyHash?: string;
  readonly ts: number;
  /** The hub's host[:port] as the request's Host header names it (`new URL(origin).host`); signed lower-cased. */
  readonly host: string;
  /** REQUEST_NONCE_BYTES random bytes in lowercase hex (newRequestNonce); never used twice. */
  readonly nonce: string;
}

/** What a hub learns from a request whose signature it checked. */
export interface SignedRequestFacts {
  readonly author: PseudonymId;
  readonly ts: number;
  /** The host the request was signed for (lower case). */
  readonly host: string;
  readonly nonce: string;
}

/** A fresh nonce for one signed request. `random` fills an array with random bytes. */
export function newRequestNonce(
  random: (array: Uint8Array<ArrayBuffer>) => Uint8Array = (a) => crypto.getRandomValues(a),
): string {
  return toHex(random(new Uint8Array(REQUEST_NONCE_BYTES)));
}

function requestFields(author: string, request: RequestToSign): Fields {
  return {
    type: 'request',
    author,
    method: request.method.toUpperCase(),
    path: request.path,
    body: request.bodyHash ?? hashBytes(request.body),
    ts: request.ts,
    host: request.host.toLowerCase(),
    nonce: request.nonce,
  };
}

/** The canonical bytes `author` signs for `request` (for tests and vectors). */
export function requestMessage(author: PseudonymId, request: RequestToSign): Uint8Array {
  return encodeCanonical(requestFields(author, request));
}

/**
 * The headers that authenticate `request` as `secretKey`'s pseudonym. Pure:
 * sign afresh (a new ts and nonce) for every send, retries included.
 * @throws TypeError when the nonce is not REQUEST_NONCE_BYTES of lowercase hex, or the host is empty.
 */
export function signRequest(secretKey: SecretKey, request: RequestToSign): Record<string, string> {
  if (!isLowerHex(request.nonce, REQUEST_NONCE_BYTES))
    throw new TypeError('a request nonce is 16 random bytes in lowercase hex');
  if (!isHost(request.host.toLowerCase())) throw new TypeError(`not a host[:port]: ${request.host}`);
  const author = pseudonymOf(secretKey);
  const { sig } = buildSigned(requestFields(author, request), secretKey);
  return {
    [AUTH_HEADERS.author]: author,
    [AUTH_HEADERS.ts]: String(request.ts),
    [AUTH_HEADERS.host]: request.host.toLowerCase(),
    [AUTH_HEADERS.nonce]: request.nonce,
    [AUTH_HEADERS.sig]: sig,
  };
}

/** host[:port] as a Host header carries it, lower case (no scheme, path or user). */
function isHost(value: string | undefined): value is string {
  return (
    typeof value === 'string' && value.length <= 255 && /^(?:[a-z0-9.-]+|\[[0-9a-f:.]+\])(?::[0-9]{1,5})?$/.test(value)
  );
}

/**
 * Checks the signature of a request; whether its host is this hub's and its
 * nonce new is the hub's to check (src/hub/guard/write-guard.ts).
 * @param header reads a request header (lowercase name). Without `murmur-host`
 *   the request is taken as signed for its Host header.
 * @returns who signed the request, when, for which host, with which nonce.
 * @throws ProtocolError Unauthenticated (headers missing or malformed), ClockSkew, BadSignature
 */
export async function checkSignedRequest(
  header: (name: string) => string | undefined,
  request: Pick<RequestToSign, 'method' | 'path' | 'body' | 'bodyHash'>,
  now: number,
  verify: Verify,
): Promise<SignedRequestFacts> {
  const author = header(AUTH_HEADERS.author);
  const tsText = header(AUTH_HEADERS.ts);
  const host = (header(AUTH_HEADERS.host) ?? header('host'))?.toLowerCase();
  const nonce = header(AUTH_HEADERS.nonce);
  const sig = header(AUTH_HEADERS.sig);
  if (
    !isPseudonymId(author) ||
    !tsText ||
    !/^[0-9]{1,16}$/.test(tsText) ||
    !isHost(host) ||
    !isLowerHex(nonce, REQUEST_NONCE_BYTES) ||
    !isLowerHex(sig, 64)
  ) {
    throw new ProtocolError(
      'Unauthenticated',
      `this request must be signed (${Object.values(AUTH_HEADERS).join(', ')} headers)`,
    );
  }
  const ts = Number(tsText);
  if (Math.abs(ts - now) > REQUEST_SKEW_MS)
    throw new ProtocolError('ClockSkew', `request time is ${Math.round((ts - now) / 1000)} s from the hub's clock`);
  const fields = requestFields(author, { ...request, ts, host, nonce });
  const ok = await verifySigned(
    { fields, sig, bytes: new Uint8Array(), message: encodeCanonical(fields) },
    author,
    verify,
  );
  if (!ok) throw new ProtocolError('BadSignature', 'the request signature does not match');
  return { author, ts, host, nonce };
}
