/**
 * The search query language, parsed purely (no storage, the time passed in):
 *
 * - words, all of which must occur; `word*` matches any word starting so, and
 *   the last word matches as a prefix too (the person may still be typing it);
 * - `#tag` (a tag of the post, or a #word in its text);
 * - `from:handle` (`name@host`, or just `name`), repeatable: any of them;
 * - `has:media`;
 * - `since:` and `until:` a date (`2026-12-01`, UTC days, both ends inclusive)
 *   or a span back from now (`3h`, `7d`, `2w`).
 *
 * Words are split and folded as the index folds text (store/search-terms.ts), so
 * `Café,` searches for `cafe`.
 */
import { type WordTerm, foldText, wordsOf } from '../store/search-terms.ts';

export type { WordTerm } from '../store/search-terms.ts';

export interface SearchQuery {
  readonly words: readonly WordTerm[];
  /** Folded, without '#'. */
  readonly tags: readonly string[];
  /** Lowercase handles or handle names, as typed. */
  readonly from: readonly string[];
  readonly hasMedia: boolean;
  /** Only posts with ts >= since. */
  readonly since?: number;
  /** Only posts with ts <= until. */
  readonly until?: number;
}

const DAY = 86_400_000;
const SPAN_UNITS: Readonly<Record<string, number>> = { m: 60_000, h: 3_600_000, d: DAY, w: 7 * DAY };

/** A `since:`/`until:` value as a time: a span back from `now`, or a UTC day (its start or, for until, its end). */
export function parseWhen(value: string, now: number, end: 'start' | 'end'): number | undefined {
  const span = /^(\d{1,5})([mhdw])$/.exec(value);
  if (span) return now - Number(span[1]) * SPAN_UNITS[span[2]!]!;
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!day) return undefined;
  const start = Date.UTC(Number(day[1]), Number(day[2]) - 1, Number(day[3]));
  if (Number.isNaN(start) || new Date(start).getUTCDate() !== Number(day[3])) return undefined;
  return end === 'start' ? start : start + DAY - 1;
}

/** The query `text` means at time `now`. Unknown `x:` operators and bad dates are searched as words. */
export function parseQuery(text: string, now: number): SearchQuery {
  const words: WordTerm[] = [];
  const tags: string[] = [];
  const from: string[] = [];
  let hasMedia = false;
  let since: number | undefined;
  let until: number | undefined;
  const parts = text.trim().split(/\s+/).filter(Boolean);
  const endsInSpace = /\s$/.test(text);
  for (const [i, part] of parts.entries()) {
    const last = i === parts.length - 1 && !endsInSpace;
    const op = /^(from|has|since|until):(.+)$/i.exec(part);
    const key = op?.[1]?.toLowerCase();
    const value = op?.[2] ?? '';
    if (key === 'from') {
      from.push(value.replace(/^@/, '').toLowerCase());
      continue;
    }
    if (key === 'has' && value.toLowerCase() === 'media') {
      hasMedia = true;
      continue;
    }
    const at =
      key === 'since' || key === 'until' ? parseWhen(value, now, key === 'since' ? 'start' : 'end') : undefined;
    if (at !== undefined && key === 'since') {
      since = Math.max(since ?? at, at);
      continue;
    }
    if (at !== undefined) {
      until = Math.min(until ?? at, at);
      continue;
    }
    const tag = part.startsWith('#') ? foldText(part.slice(1)).replace(/[^\p{L}\p{N}_]/gu, '') : '';
    if (tag) {
      tags.push(tag);
      continue;
    }
    const star = part.endsWith('*');
    const found = wordsOf(star ? part.slice(0, -1) : part);
    for (const [j, w] of found.entries()) words.push({ text: w, prefix: j === found.length - 1 && (star || last) });
  }
  return {
    words: dedupe(words),
    tags: [...new Set(tags)],
    from: [...new Set(from)],
    hasMedia,
    ...(since !== undefined && { since }),
    ...(until !== undefined && { until }),
  };
}

/** A word given both ways keeps its exact form (the narrower one). */
function dedupe(words: readonly WordTerm[]): WordTerm[] {
  const byText = new Map<string, WordTerm>();
  for (const w of words) {
    const seen = byText.get(w.text);
    if (!seen || (seen.prefix && !w.prefix)) byText.set(w.text, w);
  }
  return [...byText.values()];
}

/** True when the query asks for nothing (no words, tags, people, media or dates). */
export function isEmptyQuery(q: SearchQuery): boolean {
  return (
    q.words.length === 0 &&
    q.tags.length === 0 &&
    q.from.length === 0 &&
    !q.hasMedia &&
    q.since === undefined &&
    q.until === undefined
  );
}
