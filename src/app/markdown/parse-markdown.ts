/**
 * A deliberately tiny markdown subset, parsed to plain data (never HTML):
 * paragraphs (blank lines), line breaks, **bold**, *em*, `code` and bare
 * http(s) URLs. Everything else stays literal text, so hostile markup such as
 * `<script>` or `[x](javascript:...)` is shown as the characters it is.
 */

export type Inline =
  | { readonly type: 'text'; readonly text: string }
  | { readonly type: 'code'; readonly text: string }
  | { readonly type: 'strong' | 'em'; readonly children: readonly Inline[] }
  | { readonly type: 'link'; readonly href: string; readonly text: string }
  | { readonly type: 'br' };

export type Block = { readonly type: 'paragraph'; readonly children: readonly Inline[] };

// Order matters: code first (its content is literal), then bold, em, URLs.
const TOKEN = /`([^`\n]+)`|\*\*(\S(?:[^\n]*?\S)?)\*\*|\*(\S(?:[^*\n]*?\S)?)\*|(https?:\/\/[^\s<>"]+)/g;
const TRAILING = /[.,;:!?'")\]]+$/;

/** Paragraphs of inline nodes. */
export function parseMarkdown(source: string): Block[] {
  const text = source.replace(/\r\n?/g, '\n').trim();
  if (text === '') return [];
  return text.split(/\n[ \t]*\n+/).map((para) => {
    const children: Inline[] = [];
    para.split('\n').forEach((line, i) => {
      if (i > 0) children.push({ type: 'br' });
      children.push(...parseInline(line, 0));
    });
    return { type: 'paragraph', children };
  });
}

/** Inline nodes of one line; nesting stops at depth 3. */
export function parseInline(line: string, depth: number): Inline[] {
  const out: Inline[] = [];
  let last = 0;
  const push = (text: string) => {
    if (text === '') return;
    const prev = out[out.length - 1];
    if (prev?.type === 'text') out[out.length - 1] = { type: 'text', text: prev.text + text };
    else out.push({ type: 'text', text });
  };
  for (const match of line.matchAll(new RegExp(TOKEN.source, 'g'))) {
    const [whole, code, strong, em, url] = match;
    const start = match.index;
    push(line.slice(last, start));
    last = start + whole.length;
    if (code !== undefined) out.push({ type: 'code', text: code });
    else if (strong !== undefined && depth < 3) out.push({ type: 'strong', children: parseInline(strong, depth + 1) });
    else if (em !== undefined && depth < 3) out.push({ type: 'em', children: parseInline(em, depth + 1) });
    else if (url !== undefined) {
      const trimmed = url.replace(TRAILING, '');
      const href = safeHref(trimmed);
      if (href) out.push({ type: 'link', href, text: trimmed });
      else push(trimmed);
      push(url.slice(trimmed.length));
    } else push(whole);
  }
  push(line.slice(last));
  return out;
}

/** The URL when it parses as http(s), else undefined. */
export function safeHref(text: string): string | undefined {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}
