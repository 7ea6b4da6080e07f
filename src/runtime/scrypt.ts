/**
 * scrypt (RFC 7914), which stretches passphrases into keys (workers/keys/passphrase.ts): noble's, in pure
 * JavaScript, since WebCrypto has none. The command line's bundle swaps in src/cli/node-scrypt.ts (vite.cli.config.ts),
 * the same function on node:crypto's native scrypt: the same bytes out in about half the time, and every command
 * that signs pays one derivation (N = 2^15) to unlock its key.
 */
import { scryptAsync } from '@noble/hashes/scrypt.js';

/** scrypt's cost parameters (the backup file's `kdf` names them). */
export interface ScryptCost {
  readonly N: number;
  readonly r: number;
  readonly p: number;
}

/** `dkLen` bytes of scrypt(`password`, `salt`) at `cost`. */
export function scrypt(password: Uint8Array, salt: Uint8Array, cost: ScryptCost, dkLen: number): Promise<Uint8Array> {
  return scryptAsync(password, salt, { N: cost.N, r: cost.r, p: cost.p, dkLen });
}
