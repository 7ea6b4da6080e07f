import { describe, expect, it } from 'vitest';
import type { TimelineItem } from '../../../workers/api/api-types.ts';
import { mergePage } from './merge-page.ts';

const item = (id: string, ts: number, body = id) => ({ id, ts, body }) as unknown as TimelineItem;
const ids = (items: readonly TimelineItem[]) => items.map((i) => i.id);

describe('mergePage', () => {
  const current = [item('e', 50), item('d', 40), item('c', 30), item('b', 20), item('a', 10)];
  it('returns newer posts as arrivals and replaces the covered stretch', () => {
    const fetched = [item('f', 60), item('e', 50, 'edited'), item('c', 30)];
    const merged = mergePage(current, fetched, 0, false, 'newest');
    expect(ids(merged.arrivals)).toEqual(['f']);
    expect(ids(merged.items)).toEqual(['e', 'c', 'b', 'a']); // d deleted
    expect(merged.items[0]?.body).toBe('edited');
  });
  it('merges a stretch in the middle without arrivals', () => {
    const merged = mergePage(current, [item('c', 30), item('b', 20)], 2, false, 'newest');
    expect(ids(merged.items)).toEqual(['e', 'd', 'c', 'b', 'a']);
    expect(merged.arrivals).toEqual([]);
  });
  it('a complete page covers to the end', () => {
    const merged = mergePage(current, [item('e', 50)], 0, true, 'newest');
    expect(ids(merged.items)).toEqual(['e']);
  });
  it('keeps the object of a re-read post that did not change, and takes the new one of a changed post', () => {
    const fetched = [item('e', 50, 'edited'), item('d', 40), item('c', 30)];
    const merged = mergePage(current, fetched, 0, false, 'newest');
    expect(merged.items[0]).toBe(fetched[0]);
    expect(merged.items[1]).toBe(current[1]);
    expect(merged.items[2]).toBe(current[2]);
  });
  it('a full page ending the list says more may lie past it; a complete one, or one ending above the tail, not', () => {
    expect(mergePage([], [item('b', 20), item('a', 10)], 0, false, 'newest').moreAfter).toBe(true);
    expect(mergePage([], [item('b', 20), item('a', 10)], 0, true, 'newest').moreAfter).toBe(false);
    expect(mergePage(current, [item('e', 50), item('d', 40)], 0, false, 'newest').moreAfter).toBe(false);
    expect(mergePage(current, [item('b', 20), item('a', 10)], 3, false, 'newest').moreAfter).toBe(true);
  });
  it("a post read between loaded rows (a followed feed's backlog) drops rows past the stretch, paged in again", () => {
    const merged = mergePage(current, [item('e', 50), item('d', 40), item('x', 35), item('c', 30)], 0, false, 'newest');
    expect(ids(merged.items)).toEqual(['e', 'd', 'x', 'c']);
    expect(merged.moreAfter).toBe(true);
    // Without one, the rows past the stretch stay.
    expect(ids(mergePage(current, [item('e', 50), item('d', 40)], 0, false, 'newest').items)).toEqual([
      'e',
      'd',
      'c',
      'b',
      'a',
    ]);
  });
  it('at the head, the rows past a full head page go (a feed followed since may have posts between)', () => {
    const merged = mergePage(current, [item('e', 50), item('d', 40)], 0, false, 'newest', true);
    expect(ids(merged.items)).toEqual(['e', 'd']);
    expect(merged.moreAfter).toBe(true);
    expect(
      ids(
        mergePage(
          current,
          [item('e', 50), item('d', 40), item('c', 30), item('b', 20), item('a', 10)],
          0,
          true,
          'newest',
          true,
        ).items,
      ),
    ).toEqual(['e', 'd', 'c', 'b', 'a']);
  });
});
