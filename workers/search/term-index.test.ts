/**
 * The index's prefix lookup (a sorted list of terms, with the terms first seen since scanned beside it) against
 * the plain answer: every distinct term held that starts with the prefix.
 */
import fc from 'fast-check';
import { expect, test } from 'vitest';
import type { PostKey } from '../store/db.ts';
import { TermIndex } from './term-index.ts';

const termArb = fc.string({ unit: fc.constantFrom('a', 'b', 'c', 'é', '1', '#'), minLength: 1, maxLength: 5 });

function plain(terms: Iterable<string>, prefix: string): string[] {
  return [...new Set(terms)].filter((t) => t.startsWith(prefix)).sort();
}

test('terms starting with a prefix: the same as a scan, before and after terms are added', () => {
  fc.assert(
    fc.property(
      fc.array(fc.array(termArb, { minLength: 1, maxLength: 4 }), { maxLength: 40 }),
      fc.array(fc.array(termArb, { minLength: 1, maxLength: 4 }), { maxLength: 40 }),
      fc.array(fc.string({ unit: fc.constantFrom('a', 'b', 'c', 'é', '1', '#'), maxLength: 3 }), {
        minLength: 1,
        maxLength: 8,
      }),
      (first, later, prefixes) => {
        const index = new TermIndex();
        const held: string[] = [];
        let n = 0;
        const addAll = (posts: string[][]) => {
          for (const terms of posts) {
            index.add({ k: [-++n, 0, 0] as PostKey, w: terms.join(' ') });
            held.push(...terms);
          }
        };
        addAll(first);
        for (const p of prefixes) expect(index.termsStartingWith(p).sort()).toEqual(plain(held, p));
        addAll(later); // after the first lookup sorted the terms: the new ones are found beside them
        for (const p of prefixes) expect(index.termsStartingWith(p).sort()).toEqual(plain(held, p));
      },
    ),
    { numRuns: 300 },
  );
});

test('past a few thousand new terms the list is sorted again, and nothing is lost or doubled', () => {
  const index = new TermIndex();
  index.add({ k: [-1, 0, 0] as PostKey, w: 'apple apricot' });
  expect(index.termsStartingWith('ap').sort()).toEqual(['apple', 'apricot']);
  const words = Array.from({ length: 5000 }, (_, i) => `ap${i.toString(36)}`);
  words.forEach((word, i) => {
    index.add({ k: [-(i + 2), 0, 0] as PostKey, w: word });
  });
  const found = index.termsStartingWith('ap');
  expect(found).toHaveLength(5002);
  expect(new Set(found).size).toBe(5002);
  expect(index.termsStartingWith('ap1').sort()).toEqual(plain(words, 'ap1'));
  expect(index.termsStartingWith('b')).toEqual([]);
});
