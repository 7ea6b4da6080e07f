import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { sameMembers } from './sets.ts';

describe('sameMembers', () => {
  test('ignores order', () => {
    expect(sameMembers(['a', 'b', 'c'], ['c', 'a', 'b'])).toBe(true);
    expect(sameMembers([], [])).toBe(true);
  });

  test('a missing, extra or different member makes them differ', () => {
    expect(sameMembers(['a', 'b'], ['a'])).toBe(false);
    expect(sameMembers(['a'], ['a', 'b'])).toBe(false);
    expect(sameMembers(['a', 'b'], ['a', 'c'])).toBe(false);
  });

  test('repeats count, and the answer does not depend on which list comes first', () => {
    expect(sameMembers(['a', 'b'], ['a', 'a'])).toBe(false);
    expect(sameMembers(['a', 'a'], ['a', 'b'])).toBe(false);
    fc.assert(
      fc.property(fc.array(fc.constantFrom('a', 'b', 'c')), fc.array(fc.constantFrom('a', 'b', 'c')), (a, b) => {
        expect(sameMembers(a, b)).toBe(sameMembers(b, a));
      }),
    );
  });

  test('a shuffled copy is always the same; leaves its inputs unchanged', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.string()), fc.infiniteStream(fc.nat()), (a, random) => {
        const shuffled = [...a];
        for (let i = shuffled.length - 1; i > 0; i--) {
          const j = random.next().value % (i + 1);
          [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
        }
        const before = [...shuffled];
        expect(sameMembers(a, shuffled)).toBe(true);
        expect(shuffled).toEqual(before);
      }),
    );
  });
});
