/**
 * sha256 for verifyCommits in Node: node:crypto hashes a small commit in about
 * a microsecond on this thread, where WebCrypto's digest goes through the
 * thread pool that the signature verifies also need (measured: about 25%
 * more commits verified per second in bench/protocol.bench.ts). The one-shot
 * hash() makes no Hash object per commit (each costs more to collect than to use).
 */
import { hash } from 'node:crypto';
import type { Digest } from '../protocol/commits.ts';

export const nodeDigest: Digest = (bytes) => hash('sha256', bytes, 'buffer');
