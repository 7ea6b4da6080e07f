import { describe, expect, it } from 'vitest';
import { latestTurns } from './latest-note.ts';

describe('latestTurns', () => {
  it('keeps only the turn taken last, whatever order the work finishes in', () => {
    const take = latestTurns();
    const first = take();
    expect(first()).toBe(true);
    const second = take();
    expect(first()).toBe(false);
    expect(second()).toBe(true);
  });

  it('gives each set of turns its own count', () => {
    const a = latestTurns();
    const b = latestTurns();
    const mine = a();
    b();
    b();
    expect(mine()).toBe(true);
  });
});
