/**
 * How text becomes search terms (db.ts SearchRow), shared by the index (what
 * a post holds, written with its row) and the query (workers/search/), so
 * both fold the same way; and where a query's words and tags lie in a body,
 * for highlighting.
 *
 * Words are runs of letters, digits and '_', folded to lowercase without
 * diacritics (NFKD, marks dropped). Terms of other kinds start with a
 * character no word has: '#' a tag, '\u0001' the author and media marks.
 */

/** A word of a query (workers/search/query.ts). */
export interface WordTerm {
  readonly text: string;
  /** Matches any indexed word starting with `text`. */
  readonly prefix: boolean;
}

/** At most this many distinct words of a post are indexed (a post is short; this bounds a pathological one). */
export const MAX_WORDS = 200;
/** Longer words are indexed by their first this many characters. */
export const MAX_WORD = 40;

const WORD = /[\p{L}\p{N}_]+/gu;
const MARKS = /\p{M}+/gu;

/** Lowercase, without diacritics. */
export function foldText(text: string): string {
  return text.normalize('NFKD').replace(MARKS, '').toLowerCase();
}

/** The folded words of `text`, in order, repeats kept. */
export function wordsOf(text: string): string[] {
  return (foldText(text).match(WORD) ?? []).map((w) => w.slice(0, MAX_WORD));
}

/** The #tags of a body (folded, without '#'). */
export function bodyTags(text: string): string[] {
  return [...foldText(text).matchAll(/#([\p{L}\p{N}_]+)/gu)].map((m) => m[1]!.slice(0, MAX_WORD));
}

export const tagTerm = (tag: string): string => `#${tag}`;
/**
 * Characters of the author's idKey its term keeps (48 bits): the term is in every post's row and index entry,
 * and the whole key is 43. Two known authors sharing them is a chance of one in 2^48 a pair; search still
 * decides who sees a post and whose it is from its row (workers/search/search.ts), so a collision only costs
 * a read.
 */
export const AUTHOR_TERM_CHARS = 8;
export const authorTerm = (authorKey: string): string => `\u0001a${authorKey.slice(0, AUTHOR_TERM_CHARS)}`;
export const MEDIA_TERM = '\u0001m';

/** The distinct terms a post is found by: its words, its tags and #words, its author, and media. */
export function termsOf(post: {
  readonly body: string;
  readonly tags?: readonly string[];
  readonly authorKey: string;
  readonly media: boolean;
}): string[] {
  const words = [...new Set(wordsOf(post.body))].slice(0, MAX_WORDS);
  const tags = [...(post.tags ?? []).map((t) => foldText(t).slice(0, MAX_WORD)), ...bodyTags(post.body)];
  return [
    ...words,
    ...new Set(tags.filter(Boolean).map(tagTerm)),
    authorTerm(post.authorKey),
    ...(post.media ? [MEDIA_TERM] : []),
  ];
}

/**
 * Where the query's words and tags occur in `body`: sorted, non-overlapping
 * [start, end) ranges in UTF-16 units of the body as shown. A prefix term
 * marks the matching start of a word; an exact one the whole word.
 */
export function highlightsOf(body: string, words: readonly WordTerm[], tags: readonly string[]): [number, number][] {
  const ranges: [number, number][] = [];
  if (words.length === 0 && tags.length === 0) return ranges;
  const tagSet = new Set(tags);
  for (const m of body.matchAll(/(#?)([\p{L}\p{N}_]+)/gu)) {
    const start = m.index;
    const hash = m[1]!;
    const raw = m[2]!;
    const word = foldText(raw);
    if (hash && tagSet.has(word)) {
      ranges.push([start, start + m[0].length]);
      continue;
    }
    const at = start + hash.length;
    for (const w of words) {
      if (word === w.text) ranges.push([at, at + raw.length]);
      else if (w.prefix && word.startsWith(w.text)) ranges.push([at, at + prefixLength(raw, w.text.length)]);
      else continue;
      break;
    }
  }
  return ranges;
}

/** How many UTF-16 units of `raw` fold to its first `folded` characters (diacritics fold away). */
function prefixLength(raw: string, folded: number): number {
  for (let i = 1; i <= raw.length; i++) if (foldText(raw.slice(0, i)).length >= folded) return i;
  return raw.length;
}
