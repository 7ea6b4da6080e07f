/**
 * Posts in words, for people: who, how long ago, what it answers or shares,
 * the text, its id; aligned, and coloured only when the output is a terminal
 * (a pipe or a file gets plain text).
 */
import type { TimelinePost } from '../read/timeline.ts';
import { inert } from './inert.ts';

interface Styles {
  bold(s: string): string;
  dim(s: string): string;
  /** What a search matched (reverse video). */
  mark(s: string): string;
}

/** ANSI styles when `stream` is a terminal, else none. */
export function stylesFor(stream: NodeJS.WritableStream): Styles {
  const tty = (stream as { isTTY?: boolean }).isTTY === true;
  return {
    bold: (s) => (tty ? `\x1b[1m${s}\x1b[22m` : s),
    dim: (s) => (tty ? `\x1b[2m${s}\x1b[22m` : s),
    mark: (s) => (tty ? `\x1b[7m${s}\x1b[27m` : s),
  };
}

const PLAIN: Styles = { bold: (s) => s, dim: (s) => s, mark: (s) => s };

/** Sorted, non-overlapping [start, end) ranges of a body (store/search-terms.ts highlightsOf). */
export type Marks = readonly (readonly [number, number])[];

function marked(body: string, marks: Marks, mark: (s: string) => string): string {
  let out = '';
  let at = 0;
  for (const [start, end] of marks) {
    out += body.slice(at, start) + mark(body.slice(start, end));
    at = end;
  }
  return out + body.slice(at);
}

/** A duration in the largest whole unit: 5s, 3m, 2h, 4d ago. */
export function ago(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s ago`;
  if (s < 3600) return `${Math.floor(s / 60)}m ago`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h ago`;
  return `${Math.floor(s / 86_400)}d ago`;
}

/** Someone as people read them: the handle, else the start of the key. */
export function whoWords(id: string, handle: string | null): string {
  return handle ?? `${id.slice(0, 12)}…`;
}

/** Who may read a post that is not public, as the app's post header says it. */
const AUDIENCE_WORDS = { followers: 'for followers', allowlist: 'for people named', link: 'for whoever has the link' };

/** A post in words; `marks` (a search's matches) are set off at a terminal. */
export function postWords(post: TimelinePost, now: number, styles: Styles = PLAIN, marks: Marks = []): string {
  const notes = [
    post.audience && AUDIENCE_WORDS[post.audience],
    post.repost && `reposted by ${whoWords(post.repost.by, post.repost.handle)} ${ago(now - post.repost.ts)}`,
    post.replyTo && `reply to ${post.replyTo.slice(0, 12)}…`,
    post.quoteOf && `quoting ${post.quoteOf.slice(0, 12)}…`,
    post.edited && 'edited',
    post.media.length > 0 && `${post.media.length} media`,
    post.tags.length > 0 && post.tags.map((t) => `#${t}`).join(' '),
  ].filter(Boolean);
  const who = whoWords(post.author, post.handle);
  // "scribe (model-1) on behalf of ada@hub": an agent wrote it for its author.
  const byline = post.agent
    ? `${post.agent.name ?? whoWords(post.agent.id, null)} (${post.agent.model}) on behalf of ${who}`
    : who;
  const head = `${styles.bold(byline)}  ${styles.dim(ago(now - post.ts))}`;
  const body = marked(inert(post.body), marks, styles.mark).replaceAll('\n', '\n  ');
  return `${head}${notes.length > 0 ? `  (${notes.join('; ')})` : ''}\n  ${body}\n  ${styles.dim(post.id)}`;
}
