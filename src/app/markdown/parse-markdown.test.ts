import { describe, expect, it } from 'vitest';
import { parseMarkdown } from './parse-markdown.ts';

describe('parseMarkdown', () => {
  it('keeps hostile markup as literal text', () => {
    const src = '<script>alert(1)</script> <img src=x onerror=alert(1)> [x](javascript:alert(1))';
    expect(parseMarkdown(src)).toEqual([{ type: 'paragraph', children: [{ type: 'text', text: src }] }]);
  });
  it('links only http(s) URLs and trims trailing punctuation', () => {
    const [p] = parseMarkdown('see https://a.example/x?y=1. and javascript:alert(1)');
    expect(p?.children).toEqual([
      { type: 'text', text: 'see ' },
      { type: 'link', href: 'https://a.example/x?y=1', text: 'https://a.example/x?y=1' },
      { type: 'text', text: '. and javascript:alert(1)' },
    ]);
  });
  it('parses bold, em, code, line breaks and paragraphs', () => {
    const blocks = parseMarkdown('**b** *e* `c*d*`\nnext\n\nsecond');
    expect(blocks).toHaveLength(2);
    expect(blocks[0]?.children).toEqual([
      { type: 'strong', children: [{ type: 'text', text: 'b' }] },
      { type: 'text', text: ' ' },
      { type: 'em', children: [{ type: 'text', text: 'e' }] },
      { type: 'text', text: ' ' },
      { type: 'code', text: 'c*d*' },
      { type: 'br' },
      { type: 'text', text: 'next' },
    ]);
  });
});
