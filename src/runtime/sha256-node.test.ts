import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { expect, test } from 'vitest';
import { sha256, sha256Hex } from './sha256.ts';
import { sha256Base64Node, sha256HexNode, sha256Node } from './sha256-node.ts';

test('the node:crypto paths give the same digest as the browser path and as createHash', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 3000 }), (bytes) => {
      const reference = createHash('sha256').update(bytes);
      const digest = reference.copy().digest();
      expect(Uint8Array.from(sha256Node(bytes))).toEqual(sha256(bytes));
      expect(sha256HexNode(bytes)).toBe(sha256Hex(bytes));
      expect(sha256HexNode(bytes)).toBe(digest.toString('hex'));
      expect(sha256Base64Node(bytes)).toBe(reference.digest('base64'));
    }),
    { numRuns: 300 },
  );
});
