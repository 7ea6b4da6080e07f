/**
 * Retirement: `{type:"retire", author, ts}` signed by the pseudonym, its last
 * word. A hub that takes one releases the pseudonym's handles there (the
 * names are free to claim again, by anyone else; WebFinger finds none of
 * them) and keeps the retirement as a tombstone, so the retired key can claim
 * nothing there again. There is no forwarding: a retired pseudonym names no
 * successor, which would link the two. Its signed feed stays where it is,
 * as anything public does.
 */
import { ProtocolError } from './errors.ts';
import { readPseudonymId, readSeqOrTs, requireKeys } from './fields.ts';
import type { PseudonymId } from './ids.ts';
import { type SecretKey, type Verify, pseudonymOf } from './keys.ts';
import { LIMITS } from './limits.ts';
import { type Fields, type SignedRecord, buildSigned, decodeSigned, verifySigned } from './signed.ts';

export interface Retirement {
  readonly type: 'retire';
  readonly author: PseudonymId;
  readonly ts: number;
}

export interface SignedRetirement {
  readonly retirement: Retirement;
  readonly sig: string;
  readonly bytes: Uint8Array;
  readonly signed: SignedRecord;
}

export function buildRetirement(secretKey: SecretKey, fields: { ts: number }): SignedRetirement {
  const unsigned = { type: 'retire', author: pseudonymOf(secretKey), ts: fields.ts } as Fields;
  return decodeRetirement(buildSigned(unsigned, secretKey).bytes);
}

/** @throws ProtocolError TooLarge, DecodeError, NonCanonical, InvalidField, MalformedId, BadSeq */
export function decodeRetirement(bytes: Uint8Array): SignedRetirement {
  if (bytes.length > LIMITS.headBytes) throw new ProtocolError('TooLarge', 'a retirement is too large');
  const signed = decodeSigned(bytes, 'retire');
  const { fields, sig } = signed;
  requireKeys(fields, ['type', 'author', 'ts'], 'retire');
  const retirement: Retirement = {
    type: 'retire',
    author: readPseudonymId(fields, 'author'),
    ts: readSeqOrTs(fields, 'ts', 0),
  };
  return { retirement, sig, bytes, signed };
}

export function verifyRetirement(signed: SignedRetirement, verify: Verify): Promise<boolean> {
  return verifySigned(signed.signed, signed.retirement.author, verify);
}
