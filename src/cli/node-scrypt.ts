/**
 * What the command line's bundle runs in place of src/runtime/scrypt.ts (vite.cli.config.ts swaps the module):
 * the same function on node:crypto's native scrypt (OpenSSL), off the main thread, with the same bytes out.
 */
import { scrypt as nodeScrypt } from 'node:crypto';
import type { ScryptCost } from '../runtime/scrypt.ts';

export type { ScryptCost } from '../runtime/scrypt.ts';

export function scrypt(password: Uint8Array, salt: Uint8Array, cost: ScryptCost, dkLen: number): Promise<Uint8Array> {
  // scrypt holds 128 * N * r * p bytes; node:crypto refuses past maxmem (32 MiB by default, exactly N = 2^15's need).
  const maxmem = 256 * cost.N * cost.r * cost.p;
  return new Promise((resolve, reject) =>
    nodeScrypt(password, salt, dkLen, { ...cost, maxmem }, (error, key) =>
      error ? reject(error) : resolve(new Uint8Array(key.buffer, key.byteOffset, key.length)),
    ),
  );
}
