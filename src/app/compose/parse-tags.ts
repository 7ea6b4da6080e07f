/** Tags: #words in the text plus a comma/space separated field, lowercase, unique, within protocol limits. */
import { LIMITS } from '../../protocol/limits.ts';

const HASHTAG = /(?:^|[^\p{L}\p{N}_&#])#([\p{L}\p{N}_][\p{L}\p{N}_-]*)/gu;

export function parseTags(body: string, field = ''): string[] {
  const found = [...body.matchAll(HASHTAG)].map((m) => m[1] as string);
  const typed = field.split(/[\s,]+/).map((t) => t.replace(/^#/, ''));
  const tags = [...found, ...typed]
    .map((t) => t.toLowerCase())
    .filter((t) => t !== '' && [...t].length <= LIMITS.tagChars);
  return [...new Set(tags)].slice(0, LIMITS.tagsPerPost);
}
