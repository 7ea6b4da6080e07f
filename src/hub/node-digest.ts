/**
 * sha256 by node:crypto for the hub. nodeDigest is for verifyCommits: it
 * hashes a small commit in about a microsecond on this thread, where
 * WebCrypto's digest goes through the thread pool that the signature verifies
 * also need (measured: about 25% more commits verified per second in
 * bench/protocol.bench.ts). The one-shot hash() makes no Hash object per
 * commit (each costs more to collect than to use).
 */
import { createHash, hash } from 'node:crypto';
import type { Digest } from '../protocol/commits.ts';
import type { ObjectId } from '../protocol/ids.ts';

export const nodeDigest: Digest = (bytes) => hash('sha256', bytes, 'buffer');

/** sha256 in hex, as hashBytes in protocol/ids.ts, by node:crypto (ten times faster on large blobs). */
export function hashBlob(bytes: Uint8Array): ObjectId {
  return createHash('sha256').update(bytes).digest('hex') as ObjectId;
}
