/**
 * SHA-256 on node:crypto, for the hub (sha256.ts has the browser's paths and
 * says why they differ). Only the hub and Node scripts import this module:
 * the layer test keeps browser code off node:*.
 *
 * node:crypto hashes a small commit in about a microsecond on this thread,
 * where WebCrypto's digest goes through the thread pool that the signature
 * verifies also need (measured: about 25% more commits verified per second in
 * bench/protocol.bench.ts), and it is ten times faster than JavaScript on
 * large blobs. The one-shot hash() makes no Hash object per call (each costs
 * more to collect than to use).
 */
import { hash } from 'node:crypto';

/** The 32-byte digest (a Buffer), e.g. for verifyCommits' `digest` in the hub. */
export function sha256Node(bytes: Uint8Array): Uint8Array {
  return hash('sha256', bytes, 'buffer');
}

/** The digest as 64 lowercase hex characters: a blob's id. */
export function sha256HexNode(bytes: Uint8Array): string {
  return hash('sha256', bytes, 'hex');
}

/** The digest in base64 (44 characters): a compact key for a map of byte strings. */
export function sha256Base64Node(bytes: Uint8Array): string {
  return hash('sha256', bytes, 'base64');
}
