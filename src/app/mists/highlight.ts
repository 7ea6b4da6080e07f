/**
 * Syntax highlighting as data: lowlight (highlight.js's grammars, the `common` set) gives a syntax tree, which
 * becomes a flat list of spans with class names. Nothing here makes markup, so the text of a hostile file can
 * only ever be text. This module is loaded only when a mist is opened (CodeView.tsx imports it lazily), so the
 * grammars stay out of the initial bundle.
 */
import { common, createLowlight } from 'lowlight';

/** A run of text and the highlight.js classes it carries (empty for plain text). */
export interface Token {
  readonly text: string;
  readonly classes: string;
}

/** Files larger than this are shown as plain text: highlighting them would hold the page for seconds. */
export const MAX_HIGHLIGHT_BYTES = 256 * 1024;

/** The mist's language label (src/protocol/mist-types.ts) or file extension, as a grammar lowlight knows. */
const GRAMMAR_OF: Readonly<Record<string, string>> = {
  shell: 'bash',
  html: 'xml',
  vue: 'xml',
  svelte: 'xml',
  svg: 'xml',
  xml: 'xml',
  json: 'json',
  jsonl: 'json',
  ndjson: 'json',
  yaml: 'yaml',
  yml: 'yaml',
  toml: 'ini',
  ini: 'ini',
  conf: 'ini',
  md: 'markdown',
  sql: 'sql',
  diff: 'diff',
  graphql: 'graphql',
};

const lowlight = createLowlight(common);

/** The grammar for a file, from its language label first, then its extension; undefined for none. */
export function grammarOf(name: string, language?: string): string | undefined {
  for (const candidate of [language, name.split('.').pop()?.toLowerCase()]) {
    if (!candidate) continue;
    const grammar = Object.hasOwn(GRAMMAR_OF, candidate) ? GRAMMAR_OF[candidate] : candidate;
    if (grammar && lowlight.registered(grammar)) return grammar;
  }
  return undefined;
}

interface Node {
  readonly type: string;
  readonly value?: string;
  readonly properties?: { readonly className?: unknown };
  readonly children?: readonly Node[];
}

/** `text` as tokens in `grammar`; one plain token when there is no grammar or the file is too large. */
export function highlight(text: string, grammar: string | undefined): Token[] {
  if (!grammar || text.length > MAX_HIGHLIGHT_BYTES) return [{ text, classes: '' }];
  const tokens: Token[] = [];
  const walk = (node: Node, classes: string) => {
    if (node.type === 'text') {
      if (node.value) tokens.push({ text: node.value, classes });
      return;
    }
    const own = Array.isArray(node.properties?.className)
      ? node.properties.className.filter((c): c is string => typeof c === 'string' && /^hljs-[\w-]+$/.test(c))
      : [];
    const inner = [classes, ...own].filter(Boolean).join(' ');
    for (const child of node.children ?? []) walk(child, inner);
  };
  walk(lowlight.highlight(grammar, text) as Node, '');
  return tokens;
}
