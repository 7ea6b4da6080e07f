/**
 * SHA-256 (FIPS 180-4) of a whole message on the calling thread (sha256,
 * sha256Hex), for the commit verify path and blob ids in browsers (the hub's
 * are sha256-node.ts's, on node:crypto). WebCrypto's digest is a round trip
 * through a promise and a task per call, and noble's hasher allocates its
 * state, buffers and views per call: for a 400-byte commit either costs two
 * to three times the hashing itself, and a catch-up hashes every commit. This
 * one reads the message in place and keeps its working arrays between calls
 * (JavaScript runs one call at a time, so sharing them is safe). Tests check
 * it against node:crypto at every length up to several blocks and on random
 * inputs. The hash object HKDF and HMAC take is sha256-hasher.ts's.
 */
const K = Int32Array.from([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
  0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
  0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
  0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
  0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
  0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
  0xc67178f2,
]);
const INITIAL = Int32Array.from([
  0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
]);

const state = new Int32Array(8);
const w = new Int32Array(64);
/** The last one or two blocks: the message's tail, 0x80, zeros, the bit length. */
const tail = new Uint8Array(128);
const HEX_CODES = Array.from('0123456789abcdef', (c) => c.charCodeAt(0));
/** Char codes of one hex digest, reused: a catch-up turns tens of thousands of ids into hex. */
const codes: number[] = [];

/** Mixes the 64-byte block of `bytes` at `at` into `state`. */
function compress(bytes: Uint8Array, at: number): void {
  for (let i = 0; i < 16; i++, at += 4)
    w[i] = (bytes[at]! << 24) | (bytes[at + 1]! << 16) | (bytes[at + 2]! << 8) | bytes[at + 3]!;
  for (let i = 16; i < 64; i++) {
    const a = w[i - 15]!;
    const b = w[i - 2]!;
    const s0 = ((a >>> 7) | (a << 25)) ^ ((a >>> 18) | (a << 14)) ^ (a >>> 3);
    const s1 = ((b >>> 17) | (b << 15)) ^ ((b >>> 19) | (b << 13)) ^ (b >>> 10);
    w[i] = (w[i - 16]! + s0 + w[i - 7]! + s1) | 0;
  }
  let a = state[0]!,
    b = state[1]!,
    c = state[2]!,
    d = state[3]!,
    e = state[4]!,
    f = state[5]!,
    g = state[6]!,
    h = state[7]!;
  for (let i = 0; i < 64; i++) {
    const s1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    const t1 = (h + s1 + ((e & f) ^ (~e & g)) + K[i]! + w[i]!) | 0;
    const s0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    const t2 = (s0 + ((a & b) ^ (a & c) ^ (b & c))) | 0;
    h = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + t2) | 0;
  }
  state[0] = (state[0]! + a) | 0;
  state[1] = (state[1]! + b) | 0;
  state[2] = (state[2]! + c) | 0;
  state[3] = (state[3]! + d) | 0;
  state[4] = (state[4]! + e) | 0;
  state[5] = (state[5]! + f) | 0;
  state[6] = (state[6]! + g) | 0;
  state[7] = (state[7]! + h) | 0;
}

/** The 32-byte SHA-256 digest of `message`. */
export function sha256(message: Uint8Array): Uint8Array {
  digestInto(message);
  const out = new Uint8Array(32);
  for (let i = 0; i < 8; i++) {
    const v = state[i]!;
    out[4 * i] = v >>> 24;
    out[4 * i + 1] = v >>> 16;
    out[4 * i + 2] = v >>> 8;
    out[4 * i + 3] = v;
  }
  return out;
}

/** The SHA-256 digest of `message` as 64 lowercase hex characters (an id), with no digest bytes made. */
export function sha256Hex(message: Uint8Array): string {
  digestInto(message);
  // The 8 big-endian state words straight to hex, with no digest bytes in between.
  codes.length = 64;
  for (let i = 0, c = 0; i < 8; i++) {
    const w = state[i]!;
    for (let shift = 28; shift >= 0; shift -= 4, c++) codes[c] = HEX_CODES[(w >>> shift) & 15]!;
  }
  return String.fromCharCode.apply(null, codes);
}

/** Leaves the digest of `message` in `state`. */
function digestInto(message: Uint8Array): void {
  state.set(INITIAL);
  const whole = message.length - (message.length % 64);
  for (let at = 0; at < whole; at += 64) compress(message, at);
  const rest = message.length - whole;
  const blocks = rest < 56 ? 1 : 2;
  tail.fill(0, 0, blocks * 64);
  for (let i = 0; i < rest; i++) tail[i] = message[whole + i]!;
  tail[rest] = 0x80;
  // The length in bits, big-endian in the last 8 bytes; the top 3 stay 0 (exact below 2^40 bits, 128 GiB).
  const bits = message.length * 8;
  const end = blocks * 64;
  tail[end - 5] = Math.floor(bits / 2 ** 32);
  tail[end - 4] = bits >>> 24;
  tail[end - 3] = bits >>> 16;
  tail[end - 2] = bits >>> 8;
  tail[end - 1] = bits;
  compress(tail, 0);
  if (blocks === 2) compress(tail, 64);
}
