/** Byte helpers: lowercase hex, UTF-8, comparison. No platform APIs beyond TextEncoder/TextDecoder. */

const encoder = new TextEncoder();
const strictDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export function utf8(text: string): Uint8Array {
  return encoder.encode(text);
}

/** @throws TypeError when the bytes are not valid UTF-8. */
export function fromUtf8(bytes: Uint8Array): string {
  return strictDecoder.decode(bytes);
}

// Lookup tables: hex conversion sits on the verify hot path (ids, keys, signatures).
const HEX_CODES = Array.from('0123456789abcdef', (c) => c.charCodeAt(0));
const NIBBLE = new Int8Array(128).fill(-1);
for (let i = 0; i < 16; i++) NIBBLE['0123456789abcdef'.charCodeAt(i)] = i;

/** Char codes for one toHex chunk, reused: a catch-up turns tens of thousands of ids into hex. */
const codes: number[] = [];
const CHUNK = 4096;

export function toHex(bytes: Uint8Array): string {
  // One string per chunk from its char codes: adding two characters at a time makes a new string per
  // byte (about 1 KB of garbage per 32-byte id).
  let out = '';
  for (let from = 0; from < bytes.length; from += CHUNK) {
    const to = Math.min(bytes.length, from + CHUNK);
    codes.length = (to - from) * 2;
    for (let i = from, c = 0; i < to; i++, c += 2) {
      const b = bytes[i]!;
      codes[c] = HEX_CODES[b >> 4]!;
      codes[c + 1] = HEX_CODES[b & 15]!;
    }
    out += String.fromCharCode.apply(null, codes);
  }
  return out;
}

/** @throws TypeError unless `hex` is lowercase hex of even length. */
export function fromHex(hex: string): Uint8Array {
  if (hex.length % 2 !== 0) throw new TypeError('expected lowercase hex of even length');
  const out = new Uint8Array(hex.length / 2);
  hexInto(hex, out, 0);
  return out;
}

/** Writes the bytes of lowercase hex `hex` into `target` from `at` (a writer's buffer: no array of its own). */
export function hexInto(hex: string, target: Uint8Array, at: number): void {
  if (hex.length % 2 !== 0 || at + hex.length / 2 > target.length)
    throw new TypeError('expected lowercase hex of even length, within the target');
  for (let i = 0; i < hex.length / 2; i++) {
    const hi = NIBBLE[hex.charCodeAt(i * 2)] ?? -1;
    const lo = NIBBLE[hex.charCodeAt(i * 2 + 1)] ?? -1;
    if (hi < 0 || lo < 0) throw new TypeError('expected lowercase hex of even length');
    target[at + i] = (hi << 4) | lo;
  }
}

export function isLowerHex(value: unknown, bytes: number): value is string {
  if (typeof value !== 'string' || value.length !== bytes * 2) return false;
  // A loop over the lookup table: on the verify path, faster than a regular expression.
  for (let i = 0; i < value.length; i++) if ((NIBBLE[value.charCodeAt(i)] ?? -1) < 0) return false;
  return true;
}

/** True when `hex` is the lowercase hex of `bytes` (compared without building a string). */
export function hexEquals(bytes: Uint8Array, hex: string): boolean {
  if (hex.length !== bytes.length * 2) return false;
  for (let i = 0; i < bytes.length; i++) {
    if (
      (NIBBLE[hex.charCodeAt(2 * i)] ?? -1) !== bytes[i]! >> 4 ||
      (NIBBLE[hex.charCodeAt(2 * i + 1)] ?? -1) !== (bytes[i]! & 15)
    )
      return false;
  }
  return true;
}

/**
 * The same bytes, each array in a buffer holding nothing else it does not share with the others: arrays already
 * alone in their buffer as they are, the views among them copied together into one new buffer. For what keeps many
 * small arrays that may be views into larger buffers (a file reader's chunks): a view keeps its whole buffer
 * alive, and a copy each costs an ArrayBuffer each (~2.5 µs in V8, more than copying a commit's bytes).
 */
export function compactBytes(arrays: readonly Uint8Array[]): Uint8Array[] {
  const isView = (a: Uint8Array) => a.byteOffset !== 0 || a.byteLength !== a.buffer.byteLength;
  let size = 0;
  for (const a of arrays) if (isView(a)) size += a.length;
  if (size === 0) return [...arrays];
  const pack = new Uint8Array(size);
  let at = 0;
  return arrays.map((a) => {
    if (!isView(a)) return a;
    pack.set(a, at);
    at += a.length;
    return pack.subarray(at - a.length, at);
  });
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** Unpadded base64url (RFC 4648 section 5), as a URL fragment carries bytes. */
export function toBase64url(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const chunk = (bytes[i]! << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    const chars = Math.ceil((Math.min(3, bytes.length - i) * 8) / 6);
    for (let c = 0; c < chars; c++) out += BASE64URL[(chunk >> (18 - 6 * c)) & 63];
  }
  return out;
}

/**
 * Unpadded base64url to bytes, or undefined for any other character or an impossible length. Unused low bits
 * of the last character are ignored: a caller that needs one spelling per value compares `toBase64url` of the result.
 */
export function fromBase64url(text: string): Uint8Array | undefined {
  if (text.length % 4 === 1) return undefined;
  const out = new Uint8Array(Math.floor((text.length * 6) / 8));
  let bits = 0;
  let acc = 0;
  let at = 0;
  for (const char of text) {
    const value = BASE64URL.indexOf(char);
    if (value < 0) return undefined;
    acc = ((acc << 6) | value) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[at++] = (acc >> bits) & 0xff;
    }
  }
  return out;
}
