import { describe, expect, it } from 'vitest';
import { MAX_HIGHLIGHT_BYTES, grammarOf, highlight } from './highlight.ts';

describe('highlight', () => {
  it('picks the grammar from the language label, then the extension, and none for an unknown one', () => {
    expect(grammarOf('a.py', 'python')).toBe('python');
    expect(grammarOf('page.html', 'html')).toBe('xml');
    expect(grammarOf('run.sh', 'shell')).toBe('bash');
    expect(grammarOf('settings.yml')).toBe('yaml');
    expect(grammarOf('notes.unknownext')).toBeUndefined();
    expect(grammarOf('constructor')).toBeUndefined();
  });

  it('gives classed tokens whose texts join back to the file, byte for byte', () => {
    const text = 'def greet(name):\n    return "hi " + name  # say it\n';
    const tokens = highlight(text, 'python');
    expect(tokens.map((t) => t.text).join('')).toBe(text);
    expect(tokens.find((t) => t.text === 'def')?.classes).toBe('hljs-keyword');
    expect(tokens.some((t) => t.classes.includes('hljs-string'))).toBe(true);
    expect(tokens.some((t) => t.classes.includes('hljs-comment'))).toBe(true);
  });

  it('keeps markup in a file as text tokens, with only hljs class names', () => {
    const text = '<script>alert(1)</script><img src=x onerror="alert(2)">';
    const tokens = highlight(text, 'xml');
    expect(tokens.map((t) => t.text).join('')).toBe(text);
    for (const t of tokens) expect(t.classes).toMatch(/^(hljs-[\w-]+( hljs-[\w-]+)*)?$/);
  });

  it('shows a file past the limit, or with no grammar, as one plain token', () => {
    const big = 'x'.repeat(MAX_HIGHLIGHT_BYTES + 1);
    expect(highlight(big, 'javascript')).toEqual([{ text: big, classes: '' }]);
    expect(highlight('plain', undefined)).toEqual([{ text: 'plain', classes: '' }]);
  });
});
