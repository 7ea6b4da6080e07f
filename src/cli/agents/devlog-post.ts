/**
 * What a devlog post says and how the agent finds its own posts again, as pure functions: the summary of some
 * commits (counts, authors, most-changed paths), its body in words within the post limit, and the tags that
 * mark a devlog post with its day and the last commit it covers (tags, not the body: an edit keeps them).
 */
import { LIMITS } from '../../protocol/limits.ts';
import type { GitCommit } from './git-log.ts';

export const DEVLOG_TAG = 'devlog';
const DAY_TAG = 'devlog-day:';
const HEAD_TAG = 'devlog-head:';
/** A tag holds at most LIMITS.tagChars (64): 40 hex digits name a SHA-1 commit whole, a SHA-256 one unambiguously. */
const HEAD_DIGITS = 40;

/** How many authors and paths a post names; the rest are counted. */
const SHOWN_AUTHORS = 3;
const SHOWN_PATHS = 5;
const NAME_CHARS = 40;
const PATH_CHARS = 80;

export interface AuthorCount {
  readonly name: string;
  readonly commits: number;
}

export interface PathChange {
  readonly path: string;
  /** Lines, summed over the commits; a binary file's changes count none. */
  readonly added: number;
  readonly deleted: number;
  /** Some commit changed it as a binary file. */
  readonly binary: boolean;
  /** How many commits changed it. */
  readonly commits: number;
}

export interface DevlogSummary {
  readonly commits: number;
  readonly merges: number;
  /** Most commits first (then by name). */
  readonly authors: readonly AuthorCount[];
  /** Most lines changed first (then most commits, then by path); at most SHOWN_PATHS. */
  readonly paths: readonly PathChange[];
}

/** A devlog post as its tags mark it. */
export interface DevlogMark {
  /** The UTC day it was posted for, YYYY-MM-DD. */
  readonly day: string;
  /** The newest commit it covers (a prefix of its hash), when marked. */
  readonly head: string | undefined;
}

/** The UTC day of `ms`, YYYY-MM-DD. */
export function utcDayOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** Whether `text` is a real calendar day written YYYY-MM-DD. */
export function isUtcDay(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const ms = Date.parse(`${text}T00:00:00Z`);
  return !Number.isNaN(ms) && utcDayOf(ms) === text;
}

/** Counts, authors and most-changed paths of `commits` (any order). Does not mutate its input. */
export function summarizeCommits(commits: readonly GitCommit[]): DevlogSummary {
  const authors = new Map<string, number>();
  const paths = new Map<string, { added: number; deleted: number; binary: boolean; commits: number }>();
  for (const commit of commits) {
    authors.set(commit.author, (authors.get(commit.author) ?? 0) + 1);
    for (const file of commit.files) {
      const now = paths.get(file.path) ?? { added: 0, deleted: 0, binary: false, commits: 0 };
      paths.set(file.path, {
        added: now.added + (file.added ?? 0),
        deleted: now.deleted + (file.deleted ?? 0),
        binary: now.binary || file.added === null || file.deleted === null,
        commits: now.commits + 1,
      });
    }
  }
  const lines = (p: PathChange) => p.added + p.deleted;
  return {
    commits: commits.length,
    merges: commits.filter((c) => c.parents.length > 1).length,
    authors: [...authors]
      .map(([name, count]) => ({ name, commits: count }))
      .sort((a, b) => b.commits - a.commits || compare(a.name, b.name)),
    paths: [...paths]
      .map(([path, change]) => ({ path, ...change }))
      .sort((a, b) => lines(b) - lines(a) || b.commits - a.commits || compare(a.path, b.path))
      .slice(0, SHOWN_PATHS),
  };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** `text` in at most `max` code points, control characters shown as U+FFFD; cut in the middle if longer. */
function clip(text: string, max: number, keep: 'start' | 'end'): string {
  const chars = [...text.replace(/\p{Cc}/gu, '\uFFFD')];
  if (chars.length <= max) return chars.join('');
  return keep === 'start' ? `${chars.slice(0, max - 1).join('')}…` : `…${chars.slice(1 - max).join('')}`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/**
 * The post's text: `N commits by A, B (+k others) since DAY: most changed: path (+x −y), ...`. Authors and paths
 * are clipped (a path keeps its end), so it is always within LIMITS.postBodyChars.
 */
export function devlogBody(summary: DevlogSummary, since: string): string {
  const shown = summary.authors.slice(0, SHOWN_AUTHORS).map((a) => clip(a.name || 'unknown', NAME_CHARS, 'start'));
  const others = summary.authors.length - shown.length;
  const by = `${shown.join(', ')}${others > 0 ? ` (+${plural(others, 'other')})` : ''}`;
  const changed = summary.paths.map(
    (p) => `${clip(p.path, PATH_CHARS, 'end')} (${p.binary ? 'binary' : `+${p.added} −${p.deleted}`})`,
  );
  const body = `${plural(summary.commits, 'commit')} by ${by} since ${since}${
    changed.length > 0 ? `: most changed: ${changed.join(', ')}` : ''
  }`;
  if ([...body].length > LIMITS.postBodyChars) throw new RangeError('a devlog body over the post limit');
  return body;
}

/** The tags of the devlog post for `day` covering up to commit `head`. */
export function devlogTags(day: string, head: string): string[] {
  return [DEVLOG_TAG, `${DAY_TAG}${day}`, `${HEAD_TAG}${head.slice(0, HEAD_DIGITS)}`];
}

/** The devlog mark of a post with these tags; undefined when it is not a devlog post. */
export function findDevlogMark(tags: readonly string[] | undefined): DevlogMark | undefined {
  if (!tags?.includes(DEVLOG_TAG)) return undefined;
  const day = tags.find((t) => t.startsWith(DAY_TAG))?.slice(DAY_TAG.length);
  if (day === undefined || !isUtcDay(day)) return undefined;
  const head = tags.find((t) => t.startsWith(HEAD_TAG))?.slice(HEAD_TAG.length);
  return { day, head: head !== undefined && /^[0-9a-f]{7,64}$/.test(head) ? head : undefined };
}
