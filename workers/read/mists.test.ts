/** A fork's chain as readers check it: each held ancestor one shallower than its child; a lie is ForkTooDeep. */
import { expect, test } from 'vitest';
import type { PseudonymId } from '../../src/protocol/ids.ts';
import type { ForkOf, MistId } from '../../src/protocol/mists.ts';
import { type HeldMist, forkChain, forksOf } from './mists.ts';

const ann = 'a'.repeat(64) as PseudonymId;
const ben = 'b'.repeat(64) as PseudonymId;
const id = (n: number) => n.toString(16).padStart(16, '0') as MistId;

function mist(n: number, author: PseudonymId, forkOf: ForkOf | null): HeldMist {
  const view = { id: id(n), author, handle: null, forkOf } as HeldMist['view'];
  return { view, versions: [] };
}

test('a chain of held forks, nearest first, down to the first mist', () => {
  const all = [
    mist(1, ann, null),
    mist(2, ben, { author: ann, mist: id(1), depth: 1 }),
    mist(3, ann, { author: ben, mist: id(2), depth: 2 }),
  ];
  expect(forkChain(all, all[2]!.view)).toEqual([
    { author: ben, handle: null, mist: id(2), depth: 1, held: true },
    { author: ann, handle: null, mist: id(1), depth: 0, held: true },
  ]);
  expect(forksOf(all, all[0]!.view)).toEqual([{ id: id(2), author: ben, handle: null, depth: 1 }]);
  expect(forkChain(all, all[0]!.view)).toEqual([]);
});

test('an ancestor not held ends the chain, said as not held', () => {
  const all = [mist(3, ann, { author: ben, mist: id(2), depth: 4 })];
  expect(forkChain(all, all[0]!.view)).toEqual([{ author: ben, handle: null, mist: id(2), depth: 3, held: false }]);
});

test('a fork that claims to be shallower than its parent allows is refused as ForkTooDeep', () => {
  // The parent is at depth 5; the fork says 1, to slip under the limit.
  const all = [
    mist(2, ben, { author: ann, mist: id(1), depth: 5 }),
    mist(3, ann, { author: ben, mist: id(2), depth: 1 }),
  ];
  expect(() => forkChain(all, all[1]!.view)).toThrow(expect.objectContaining({ name: 'ForkTooDeep' }));
});
