/** One standing vote per voter: pressing the held vote withdraws it, and the counts a read must show follow. */
import { expect, test } from 'vitest';
import { countsAfter, nextVote } from './vote-rules.ts';

test('pressing the held vote withdraws it (0); the other, or any with none held, casts it', () => {
  expect(nextVote(0, 1)).toBe(1);
  expect(nextVote(1, 1)).toBe(0);
  expect(nextVote(1, -1)).toBe(-1);
  expect(nextVote(-1, -1)).toBe(0);
});

test('the counts after a vote, a change and a withdrawal move by one voter at most', () => {
  const none = { ups: 2, downs: 1 };
  expect(countsAfter(none, 0, 1)).toEqual({ ups: 3, downs: 1 });
  expect(countsAfter({ ups: 3, downs: 1 }, 1, -1)).toEqual({ ups: 2, downs: 2 });
  expect(countsAfter({ ups: 2, downs: 2 }, -1, 0)).toEqual(none);
  expect(countsAfter(none, 1, 1)).toEqual(none);
});
