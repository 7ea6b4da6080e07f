import { describe, expect, it } from 'vitest';
import { parseTags } from './parse-tags.ts';

describe('parseTags', () => {
  it('reads #tags from text and the field, unique and lowercase', () => {
    expect(parseTags('Hello #World and #rust-lang, not a#b or &#39;', 'extra, #World')).toEqual([
      'world',
      'rust-lang',
      'extra',
    ]);
  });
});
