import { expect, test } from 'vitest';
import * as runtime from '../runtime/sha256.ts';
import * as swapped from './node-sha256.ts';

test('the module the CLI bundle swaps in exports what runtime/sha256.ts does', () => {
  expect(Object.keys(swapped).sort()).toEqual(Object.keys(runtime).sort());
});

test("its hashes are the runtime module's, at lengths around the block boundaries", () => {
  for (const length of [0, 1, 55, 56, 63, 64, 65, 119, 120, 128, 1000, 70_000]) {
    const bytes = Uint8Array.from({ length }, (_, i) => (i * 31 + length) & 0xff);
    expect([length, swapped.sha256Hex(bytes)]).toEqual([length, runtime.sha256Hex(bytes)]);
    expect(new Uint8Array(swapped.sha256(bytes))).toEqual(runtime.sha256(bytes));
  }
});
