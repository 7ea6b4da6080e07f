/**
 * Topics: the public words a pseudonym posts about, on its profile (ops.ts)
 * and its directory listing (listing.ts), one rule for both: at most 10, each
 * a tag as the composer makes them (lowercase letters, digits, _ and -; at
 * most 64 code points), sorted and distinct so a set has one spelling.
 */
import type { Canonical } from './canonical.ts';
import { invalid, readArray } from './fields.ts';
import { LIMITS } from './limits.ts';

export const MAX_TOPICS = 10;

const TOPIC = /^[\p{L}\p{N}_][\p{L}\p{N}_-]*$/u;

/** Whether `text` is one topic (as the directory's ?topic= must be). */
export function isTopic(text: unknown): text is string {
  return (
    typeof text === 'string' && [...text].length <= LIMITS.tagChars && TOPIC.test(text) && text === text.toLowerCase()
  );
}

/** @throws ProtocolError InvalidField, TooLarge */
export function readTopics(raw: { readonly [key: string]: Canonical }, field = 'topics'): string[] | undefined {
  const topics = readArray(raw, field, MAX_TOPICS, true);
  topics?.forEach((topic, i) => {
    if (!isTopic(topic)) throw invalid(`${field}[${i}]`, 'expected a lowercase topic like music or rust-lang');
    if (i > 0 && (topics[i - 1] as string) >= topic) throw invalid(field, 'must be sorted and distinct');
  });
  return topics as string[] | undefined;
}
