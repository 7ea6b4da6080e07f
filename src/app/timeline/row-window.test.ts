import { describe, expect, it } from 'vitest';
import { pickRows } from './row-window.ts';

const key = (i: number) => `k${i}`;
const keys = (...indexes: number[]) => new Set(indexes.map(key));

describe('pickRows', () => {
  it('a page landing at once: the rows in view join first, a few per commit', () => {
    const picked = pickRows({ first: 0, last: 12, firstInView: 0, lastInView: 5 }, key, keys(), 4);
    expect(picked.indexes).toEqual([0, 1, 2, 3]);
    expect(picked.deferred).toBe(true);
  });
  it('rows on screen stay, and the budget goes below the view before above it', () => {
    const picked = pickRows({ first: 2, last: 14, firstInView: 5, lastInView: 8 }, key, keys(5, 6, 7, 20), 3);
    expect(picked.indexes).toEqual([5, 6, 7, 8, 9, 10]);
    expect(picked.deferred).toBe(true);
  });
  it('the whole window once every row has joined', () => {
    const picked = pickRows({ first: 0, last: 6, firstInView: 1, lastInView: 3 }, key, keys(0, 1, 2, 3), 4);
    expect(picked.indexes).toEqual([0, 1, 2, 3, 4, 5]);
    expect(picked.deferred).toBe(false);
  });
});
