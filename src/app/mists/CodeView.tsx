/**
 * A mist's text, highlighted once the highlighter has loaded (it is fetched only when a mist is opened) and plain
 * until then. Every token is a React text node, never markup, so a hostile file shows as the text it is.
 */
import { useEffect, useState } from 'react';
import type { Token } from './highlight.ts';
import './code-view.css';

export interface CodeViewProps {
  readonly text: string;
  /** The mist's language label, when it has one. */
  readonly language?: string;
  /** The file name: its extension picks the grammar when there is no label. */
  readonly name: string;
}

export function CodeView({ text, language, name }: CodeViewProps) {
  const [tokens, setTokens] = useState<{ readonly grammar?: string; readonly list: readonly Token[] }>();
  useEffect(() => {
    let current = true;
    setTokens(undefined);
    void import('./highlight.ts').then(({ grammarOf, highlight }) => {
      const grammar = grammarOf(name, language);
      if (current) setTokens({ grammar, list: highlight(text, grammar) });
    });
    return () => {
      current = false;
    };
  }, [text, language, name]);
  return (
    // A long file scrolls inside its box, a named region the keyboard can reach to scroll it.
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard
    <section className="code-view" tabIndex={0} aria-label={`Contents of ${name}`}>
      <pre data-highlighted={tokens ? String(tokens.grammar !== undefined) : undefined} data-grammar={tokens?.grammar}>
        <code>
          {tokens
            ? tokens.list.map((token, i) =>
                token.classes ? (
                  // biome-ignore lint/suspicious/noArrayIndexKey: tokens are positional and never reorder
                  <span key={i} className={token.classes}>
                    {token.text}
                  </span>
                ) : (
                  token.text
                ),
              )
            : text}
        </code>
      </pre>
    </section>
  );
}
