/** Post row encodings: compact ids must come back exactly, and keys must order as the timeline does. */
import { expect, test } from 'vitest';
import { toHex } from '../../src/protocol/bytes.ts';
import type { ObjectId } from '../../src/protocol/ids.ts';
import { idKey, idOfKey, postKeyOf } from './post-rows.ts';

const ids = Array.from({ length: 200 }, (_, i) =>
  toHex(Uint8Array.from({ length: 32 }, (_, j) => (i * 131 + j * 29 + (i >> 1) * j) & 255)),
);
ids.push('00'.repeat(32), 'ff'.repeat(32));

test('an id as a row holds it is base64url of its bytes, and comes back exactly', () => {
  for (const id of ids) {
    expect(idKey(id)).toBe(Buffer.from(id, 'hex').toString('base64url'));
    expect(idOfKey(idKey(id))).toBe(id);
  }
});

test('post keys order newest first, then by descending id', () => {
  const sorted = [...ids].sort().reverse() as ObjectId[];
  const cmp = (a: number[], b: number[]) => a[0]! - b[0]! || a[1]! - b[1]! || a[2]! - b[2]!;
  const keys = sorted.map((id) => postKeyOf(1000, id));
  expect([...keys].sort(cmp)).toEqual(keys);
  expect(cmp(postKeyOf(2000, sorted.at(-1)!), postKeyOf(1000, sorted[0]!))).toBeLessThan(0);
});
