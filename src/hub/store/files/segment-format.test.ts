/** planRangeReads: which blobs of a segment share one read. */
import { expect, test } from 'vitest';
import type { ObjectId } from '../../../protocol/ids.ts';
import { planRangeReads } from './segment-format.ts';

const at = (id: string, segment: number, offset: number, length: number) => ({
  id: id as ObjectId,
  at: { segment, offset, length },
});

test('neighbours join one read (in offset order) while the gap and the read stay within bounds', () => {
  const plan = planRangeReads(
    [at('c', 1, 300, 50), at('a', 1, 100, 50), at('b', 1, 160, 100), at('far', 1, 1000, 10), at('other', 2, 0, 10)],
    50,
    1000,
  );
  expect(plan).toEqual([
    {
      segment: 1,
      offset: 100,
      length: 250,
      blobs: [
        { id: 'a', at: 0, length: 50 },
        { id: 'b', at: 60, length: 100 },
        { id: 'c', at: 200, length: 50 },
      ],
    },
    { segment: 1, offset: 1000, length: 10, blobs: [{ id: 'far', at: 0, length: 10 }] },
    { segment: 2, offset: 0, length: 10, blobs: [{ id: 'other', at: 0, length: 10 }] },
  ]);
});

test('a read stops before it would pass the most bytes; a larger blob is a read of its own', () => {
  const plan = planRangeReads([at('a', 1, 0, 60), at('b', 1, 60, 60), at('big', 1, 120, 500)], 10, 100);
  expect(plan.map((r) => [r.offset, r.length, r.blobs.map((b) => b.id)])).toEqual([
    [0, 60, ['a']],
    [60, 60, ['b']],
    [120, 500, ['big']],
  ]);
});
