/**
 * SHA-256 as the hash object @noble/hashes' hkdf and hmac take (they call its
 * incremental interface, which sha256.ts's whole-message function has not).
 * A module of its own, so what imports sha256.ts to hash ids (the core
 * worker's first script) does not load noble's.
 */
export { sha256 as sha256Hasher } from '@noble/hashes/sha2.js';
