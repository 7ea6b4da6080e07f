/**
 * Signed records: a canonical object with a `type` field, signed by the key
 * named in one of its fields, carried as the canonical bytes of the same object
 * plus `sig` (the signature in hex). The signed message is the canonical bytes
 * of the object without `sig`; its `type` field separates the domains, so a
 * signature over a head can never pass as one over a commit.
 */
import { fromHex, isLowerHex, toHex, utf8 } from './bytes.ts';
import { type Canonical, decodeCanonicalText, encodeCanonical } from './canonical.ts';
import { ProtocolError } from './errors.ts';
import { type SecretKey, type Verify, sign } from './keys.ts';

export type Fields = { [key: string]: Canonical };

export interface SignedRecord {
  /** The record without `sig`. */
  readonly fields: Fields;
  readonly sig: string;
  /** The canonical bytes of fields + sig: what is stored and hashed. */
  readonly bytes: Uint8Array;
  /** The signed message: the canonical bytes of `fields`. */
  readonly message: Uint8Array;
}

/** @throws TypeError when `fields` has no canonical form or already holds `sig`. */
export function buildSigned(fields: Fields, secretKey: SecretKey): SignedRecord {
  if ('sig' in fields) throw new TypeError('fields must not contain sig');
  const message = encodeCanonical(fields);
  const sig = toHex(sign(message, secretKey));
  return { fields, sig, bytes: encodeCanonical({ ...fields, sig }), message };
}

/**
 * Splits canonical bytes into fields and signature; checks form only.
 * @throws ProtocolError DecodeError, NonCanonical, InvalidField
 */
export function decodeSigned(bytes: Uint8Array, type: string): SignedRecord {
  const { value, text } = decodeCanonicalText(bytes);
  if (typeof value !== 'object' || Array.isArray(value)) throw new ProtocolError('DecodeError', 'expected an object');
  const { sig, ...fields } = value;
  if (fields.type !== type) throw new ProtocolError('DecodeError', `expected type ${type}`);
  if (!isLowerHex(sig, 64)) throw new ProtocolError('InvalidField', 'sig must be 128 lowercase hex characters', { field: 'sig' });
  return { fields, sig, bytes, message: utf8(withoutTopLevelSig(text, sig)) };
}

/**
 * The canonical text of the record without its `sig` entry, cut from the text
 * instead of encoding the fields again (half the decode cost on the verify
 * path). Removing one entry from a canonical object leaves a canonical object.
 * The last `"sig":"<sig>"` is the top-level one because every key that sorts
 * after "sig" in our record types ("to", "ts", "type") holds a scalar, and inside
 * strings a quote is always escaped. The tests check the cut equals
 * encodeCanonical(fields) for every vector.
 */
function withoutTopLevelSig(text: string, sig: string): string {
  const entry = `,"sig":"${sig}"`;
  const at = text.lastIndexOf(entry);
  if (at < 0) throw new ProtocolError('DecodeError', 'sig must not be the first field');
  return text.slice(0, at) + text.slice(at + entry.length);
}

/** True when `record.sig` is a valid signature by `signer` (a hex public key) over its fields. */
export function verifySigned(record: SignedRecord, signer: string, verify: Verify): Promise<boolean> {
  return verify(fromHex(record.sig), record.message, fromHex(signer));
}

/** For building invalid test vectors only: signs without any checks of the fields' meaning. */
export function buildSignedUnchecked(fields: Record<string, unknown>, secretKey: SecretKey): Uint8Array {
  const sig = toHex(sign(encodeCanonical(fields), secretKey));
  return encodeCanonical({ ...fields, sig });
}
