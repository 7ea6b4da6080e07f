/**
 * Handles: `name@host[:port]`, claimed on the hub at host by a signed claim
 * `{type, name, host, author, ts}`. The claim names the host so it cannot be
 * replayed to another hub; readers verify the claim a hub returns, so a hub can
 * withhold a handle but never point it at another key.
 */
export { type Handle, formatHandle, hubOrigin, isHandleName, isHost, parseHandle } from './handle-names.ts';
import { ProtocolError } from './errors.ts';
import { isHandleName, isHost } from './handle-names.ts';
import { readInt, readPseudonymId, readString, requireKeys } from './fields.ts';
import type { PseudonymId } from './ids.ts';
import { type SecretKey, type Verify, pseudonymOf } from './keys.ts';
import { LIMITS } from './limits.ts';
import { type Fields, type SignedRecord, buildSigned, decodeSigned, verifySigned } from './signed.ts';

export interface HandleClaim {
  readonly type: 'handle';
  readonly name: string;
  readonly host: string;
  readonly author: PseudonymId;
  readonly ts: number;
}

export interface SignedHandleClaim {
  readonly claim: HandleClaim;
  readonly sig: string;
  readonly bytes: Uint8Array;
  readonly signed: SignedRecord;
}

export function buildHandleClaim(
  secretKey: SecretKey,
  fields: { name: string; host: string; ts: number },
): SignedHandleClaim {
  const unsigned = {
    type: 'handle',
    name: fields.name,
    host: fields.host,
    author: pseudonymOf(secretKey),
    ts: fields.ts,
  } as Fields;
  return decodeHandleClaim(buildSigned(unsigned, secretKey).bytes);
}

/** @throws ProtocolError TooLarge, DecodeError, NonCanonical, InvalidField, MalformedId */
export function decodeHandleClaim(bytes: Uint8Array): SignedHandleClaim {
  if (bytes.length > LIMITS.headBytes) throw new ProtocolError('TooLarge', 'handle claim too large');
  const signed = decodeSigned(bytes, 'handle');
  const { fields, sig } = signed;
  requireKeys(fields, ['type', 'name', 'host', 'author', 'ts'], 'handle');
  const name = readString(fields, 'name', 32)!;
  const host = readString(fields, 'host', 255)!;
  if (!isHandleName(name))
    throw new ProtocolError('InvalidField', 'name: lowercase letters, digits, _ . - (1 to 32)', { field: 'name' });
  if (!isHost(host)) throw new ProtocolError('InvalidField', 'host: expected host[:port]', { field: 'host' });
  const claim: HandleClaim = {
    type: 'handle',
    name,
    host,
    author: readPseudonymId(fields, 'author'),
    ts: readInt(fields, 'ts', 0),
  };
  return { claim, sig, bytes, signed };
}

export function verifyHandleClaim(signed: SignedHandleClaim, verify: Verify): Promise<boolean> {
  return verifySigned(signed.signed, signed.claim.author, verify);
}
