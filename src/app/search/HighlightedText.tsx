/**
 * Plain text with some ranges in <mark>: React text nodes only (never
 * innerHTML), so a post's text cannot inject markup. Ranges come from the
 * worker (sorted, non-overlapping, UTF-16 offsets); any out of bounds are cut.
 */
import type { ReactNode } from 'react';

export interface HighlightedTextProps {
  readonly text: string;
  readonly ranges: readonly (readonly [number, number])[];
  readonly className?: string;
  readonly testId?: string;
}

export function HighlightedText({ text, ranges, className, testId }: HighlightedTextProps) {
  const parts: ReactNode[] = [];
  let at = 0;
  for (const [start, end] of ranges) {
    const from = Math.max(at, Math.min(start, text.length));
    const to = Math.min(end, text.length);
    if (to <= from) continue;
    if (from > at) parts.push(text.slice(at, from));
    parts.push(<mark key={from}>{text.slice(from, to)}</mark>);
    at = to;
  }
  if (at < text.length) parts.push(text.slice(at));
  return (
    <div className={className} data-testid={testId}>
      <p className="post-plain">{parts}</p>
    </div>
  );
}
