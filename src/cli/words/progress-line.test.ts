/**
 * The catch-up progress line: only at a terminal, every feed's counts summed, at most every PROGRESS_EVERY_MS,
 * erased once the last feed ends.
 */
import { expect, test } from 'vitest';
import type { PseudonymId } from '../../protocol/ids.ts';
import { PROGRESS_EVERY_MS, ProgressLine, progressWords } from './progress-line.ts';

const [a, b] = ['a', 'b'].map((c) => c.repeat(64) as PseudonymId) as [PseudonymId, PseudonymId];

function terminal(isTTY: boolean) {
  const written: string[] = [];
  return { written, stream: { isTTY, write: (s: string) => written.push(s) } as unknown as NodeJS.WritableStream };
}

test('words: one feed or many, counts summed, a total never below what is done', () => {
  expect(progressWords(new Map([[a, { done: 1200, total: 50_000 }]]))).toBe(
    'Catching up a feed: 1,200 of 50,000 commits',
  );
  const two = new Map([
    [a, { done: 10, total: 5 }],
    [b, { done: 0, total: 100 }],
  ]);
  expect(progressWords(two)).toBe('Catching up 2 feeds: 10 of 110 commits');
});

test('at a terminal: shown in place, throttled, erased when every feed is done', () => {
  let now = 0;
  const { written, stream } = terminal(true);
  const line = ProgressLine.on(stream, () => now)!;
  line.update(a, { done: 100, total: 1000 });
  line.update(b, { done: 5, total: 10 }); // within PROGRESS_EVERY_MS: not drawn
  now += PROGRESS_EVERY_MS;
  line.update(a, { done: 600, total: 1000 });
  line.update(b, undefined);
  line.update(a, undefined);
  expect(written).toEqual([
    '\r\x1b[2KCatching up a feed: 100 of 1,000 commits',
    '\r\x1b[2KCatching up 2 feeds: 605 of 1,010 commits',
    '\r\x1b[2K',
  ]);
  line.clear(); // nothing shown: nothing to erase
  expect(written).toHaveLength(3);
});

test('not a terminal (a pipe, a file): no progress line at all', () => {
  expect(ProgressLine.on(terminal(false).stream)).toBeUndefined();
});
