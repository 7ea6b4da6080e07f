/** Commander's parsers of the option values the commands share: each says what it wants in words. */
import { InvalidArgumentError } from 'commander';
import { isUtcDay } from '../agents/devlog-post.ts';
import { type SearchCursor, parseCursor } from '../read/search.ts';
import { findSpanMs } from '../read/span.ts';

export function positiveInt(text: string): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError('a whole number, 1 or more');
  return n;
}

/** A span like 30m, 2h, 1d (also 45s): its length in milliseconds. */
export function duration(text: string): number {
  const ms = findSpanMs(text);
  if (ms === undefined) throw new InvalidArgumentError('a span like 30m, 2h or 1d');
  return ms;
}

export function utcDay(text: string): string {
  if (!isUtcDay(text)) throw new InvalidArgumentError('a day like 2026-12-03');
  return text;
}

export function searchCursor(text: string): SearchCursor {
  const at = parseCursor(text);
  if (!at) throw new InvalidArgumentError('a cursor as search gives it (TS.ID)');
  return at;
}

export function collect(value: string, previous: readonly string[]): string[] {
  return [...previous, value];
}
