/**
 * Signed records: a canonical object with a `type` field, signed by the key
 * named in one of its fields, carried as the canonical bytes of the same object
 * plus `sig` (the signature in hex). The signed message is the canonical bytes
 * of the object without `sig`; its `type` field separates the domains, so a
 * signature over a head can never pass as one over a commit.
 */
import { fromHex, hexInto, isLowerHex, toHex } from './bytes.ts';
import { type Canonical, decodeCanonical, encodeCanonical } from './canonical.ts';
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
  const value = decodeCanonical(bytes);
  if (typeof value !== 'object' || Array.isArray(value)) throw new ProtocolError('DecodeError', 'expected an object');
  const { sig, ...fields } = value;
  if (fields.type !== type) throw new ProtocolError('DecodeError', `expected type ${type}`);
  if (!isLowerHex(sig, 64))
    throw new ProtocolError('InvalidField', 'sig must be 128 lowercase hex characters', { field: 'sig' });
  return { fields, sig, bytes, message: withoutTopLevelSig(bytes, sig) };
}

/**
 * The canonical bytes of the record without its `sig` entry, cut from the
 * bytes instead of encoding the fields again (half the decode cost on the
 * verify path). Removing one entry from a canonical object leaves a canonical
 * object. The last `,"sig":"` is the top-level one because every key that
 * sorts after "sig" in our record types ("to", "ts", "type") holds a scalar,
 * and inside strings a quote is always escaped; and in UTF-8 no byte of a
 * multi-byte character is ASCII, so the last one in the bytes is the last one
 * in the text. The tests check the cut equals encodeCanonical(fields) for
 * every vector.
 */
function withoutTopLevelSig(bytes: Uint8Array, sig: string): Uint8Array {
  const at = lastSigEntry(bytes);
  if (at < 0) throw new ProtocolError('DecodeError', 'sig must not be the first field');
  // The value there must be the sig that was decoded, then its closing quote.
  const value = at + SIG_ENTRY.length;
  for (let i = 0; i < sig.length; i++)
    if (bytes[value + i] !== sig.charCodeAt(i))
      throw new ProtocolError('DecodeError', 'sig is not where a top-level sig belongs');
  const end = value + sig.length + 1;
  if (bytes[end - 1] !== 0x22) throw new ProtocolError('DecodeError', 'sig is not where a top-level sig belongs');
  const message = carve(bytes.length - (end - at));
  message.set(bytes.subarray(0, at));
  // The short tail (`,"ts":...}`) byte by byte.
  for (let from = end, to = at; from < bytes.length; from++, to++) message[to] = bytes[from]!;
  return message;
}

/**
 * Messages are cut as views of shared 64 KiB slabs, never reused: a buffer of
 * its own per message (a backing store to allocate, track and sweep) cost
 * about 1.2 µs a commit in Chromium against 0.4 µs for a view. A slab lives
 * while any message in it does. Only verifySigned reads a message (and the
 * signature it cuts the same way); neither is stored or posted (a view would
 * carry its whole slab along).
 */
const SLAB_BYTES = 1 << 16;
let slab = new Uint8Array(0);
let slabUsed = 0;

function carve(length: number): Uint8Array {
  if (length > SLAB_BYTES / 4) return new Uint8Array(length);
  if (slabUsed + length > slab.length) {
    slab = new Uint8Array(SLAB_BYTES);
    slabUsed = 0;
  }
  const view = slab.subarray(slabUsed, slabUsed + length);
  slabUsed += length;
  return view;
}

const SIG_ENTRY = Uint8Array.from(',"sig":"', (c) => c.charCodeAt(0));

/** Offset of the last `,"sig":"` in `bytes` (searched from the end, comma by comma: the entry sits near it), or -1. */
function lastSigEntry(bytes: Uint8Array): number {
  next: for (
    let at = bytes.lastIndexOf(SIG_ENTRY[0]!);
    at >= 0;
    at = at > 0 ? bytes.lastIndexOf(SIG_ENTRY[0]!, at - 1) : -1
  ) {
    for (let i = 1; i < SIG_ENTRY.length; i++) if (bytes[at + i] !== SIG_ENTRY[i]) continue next;
    return at;
  }
  return -1;
}

/** True when `record.sig` is a valid signature by `signer` (a hex public key) over its fields. */
export function verifySigned(record: SignedRecord, signer: string, verify: Verify): Promise<boolean> {
  const sig = carve(64); // a view of the slab, as the message is
  hexInto(record.sig, sig, 0);
  return verify(sig, record.message, signerBytes(signer));
}

// A feed's records come one after another by one signer: its key is converted once.
let lastSigner: { readonly hex: string; readonly bytes: Uint8Array } | undefined;

function signerBytes(hex: string): Uint8Array {
  if (lastSigner?.hex !== hex) lastSigner = { hex, bytes: fromHex(hex) };
  // Shared between calls: a Verify only reads its arguments (WebCrypto copies them, noble reads them).
  return lastSigner.bytes;
}

/** For building invalid test vectors only: signs without any checks of the fields' meaning. */
export function buildSignedUnchecked(fields: Record<string, unknown>, secretKey: SecretKey): Uint8Array {
  const sig = toHex(sign(encodeCanonical(fields), secretKey));
  return encodeCanonical({ ...fields, sig });
}
