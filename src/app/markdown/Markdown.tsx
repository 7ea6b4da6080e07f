/** Renders parse-markdown's nodes as React elements (never innerHTML). */
// The nodes are one parse of one string: a node's place is its identity (nothing is reordered, and the elements hold
// no state), so the index is the right key; a changed source is parsed and rendered again as a whole.
// biome-ignore-all lint/suspicious/noArrayIndexKey: positional nodes of one parse (see above)
import { type ReactNode, useMemo } from 'react';
import { type Inline, parseMarkdown } from './parse-markdown.ts';

export interface MarkdownProps {
  readonly source: string;
  readonly className?: string;
  readonly testId?: string;
}

export function Markdown({ source, className, testId }: MarkdownProps) {
  const blocks = useMemo(() => parseMarkdown(source), [source]);
  return (
    <div className={className} data-testid={testId}>
      {blocks.map((block, i) => (
        <p key={i}>{renderInline(block.children)}</p>
      ))}
    </div>
  );
}

function renderInline(nodes: readonly Inline[]): ReactNode[] {
  return nodes.map(renderNode);
}

/** One inline node; `i`, its place among its siblings, is its key. */
function renderNode(node: Inline, i: number): ReactNode {
  switch (node.type) {
    case 'text':
      return node.text;
    case 'br':
      return <br key={i} />;
    case 'code':
      return <code key={i}>{node.text}</code>;
    case 'strong':
      return <strong key={i}>{renderInline(node.children)}</strong>;
    case 'em':
      return <em key={i}>{renderInline(node.children)}</em>;
    case 'link':
      return (
        <a key={i} href={node.href} target="_blank" rel="noopener noreferrer nofollow">
          {node.text}
        </a>
      );
  }
}
