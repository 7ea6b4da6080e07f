/**
 * Signed requests: how a hub knows which pseudonym a write comes from, so it
 * can apply per-pseudonym quotas, without accounts or tokens. The client signs
 * `{type:"request", author, method, path, body, ts}` where `body` is the
 * sha256 of the request body and `path` includes the query; the three values
 * travel in headers. A hub refuses a request more than 5 minutes off its clock.
 *
 * Each request is signed by exactly one pseudonym; a client never signs for
 * two pseudonyms on one connection (see DESIGN.md, unlinkability).
 */
import { isLowerHex } from './bytes.ts';
import { ProtocolError } from './errors.ts';
import { type PseudonymId, hashBytes, isPseudonymId } from './ids.ts';
import { type SecretKey, type Verify, pseudonymOf } from './keys.ts';
import { type Fields, buildSigned, verifySigned } from './signed.ts';
import { encodeCanonical } from './canonical.ts';

export const AUTH_HEADERS = { author: 'murmur-author', ts: 'murmur-ts', sig: 'murmur-sig' } as const;

/** How far a request's time may be from the hub's clock. */
export const REQUEST_SKEW_MS = 5 * 60 * 1000;

export interface RequestToSign {
  readonly method: string;
  /** Path and query, e.g. /v1/inbox/abc?cursor=3 */
  readonly path: string;
  readonly body: Uint8Array;
  readonly ts: number;
}

function requestFields(author: string, request: RequestToSign): Fields {
  return { type: 'request', author, method: request.method.toUpperCase(), path: request.path, body: hashBytes(request.body), ts: request.ts };
}

/** The headers that authenticate `request` as `secretKey`'s pseudonym. */
export function signRequest(secretKey: SecretKey, request: RequestToSign): Record<string, string> {
  const author = pseudonymOf(secretKey);
  const { sig } = buildSigned(requestFields(author, request), secretKey);
  return { [AUTH_HEADERS.author]: author, [AUTH_HEADERS.ts]: String(request.ts), [AUTH_HEADERS.sig]: sig };
}

/**
 * @param header reads a request header (lowercase name).
 * @returns the pseudonym that signed the request.
 * @throws ProtocolError Unauthenticated (headers missing or malformed), ClockSkew, BadSignature
 */
export async function checkSignedRequest(
  header: (name: string) => string | undefined,
  request: Omit<RequestToSign, 'ts'>,
  now: number,
  verify: Verify,
): Promise<PseudonymId> {
  const author = header(AUTH_HEADERS.author);
  const tsText = header(AUTH_HEADERS.ts);
  const sig = header(AUTH_HEADERS.sig);
  if (!isPseudonymId(author) || !tsText || !/^[0-9]{1,16}$/.test(tsText) || !isLowerHex(sig, 64)) {
    throw new ProtocolError('Unauthenticated', `this request must be signed (${Object.values(AUTH_HEADERS).join(', ')} headers)`);
  }
  const ts = Number(tsText);
  if (Math.abs(ts - now) > REQUEST_SKEW_MS) throw new ProtocolError('ClockSkew', `request time is ${Math.round((ts - now) / 1000)} s from the hub's clock`);
  const fields = requestFields(author, { ...request, ts });
  const ok = await verifySigned({ fields, sig, bytes: new Uint8Array(), message: encodeCanonical(fields) }, author, verify);
  if (!ok) throw new ProtocolError('BadSignature', 'the request signature does not match');
  return author;
}
