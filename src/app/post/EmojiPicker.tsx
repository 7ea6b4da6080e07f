/**
 * An accessible emoji picker: a disclosure button opening a small grid of
 * named emoji buttons (arrow keys move, Escape closes and returns focus).
 */
import { type KeyboardEvent, useId, useRef, useState } from 'react';
import { Icon } from '../shell/Icon.tsx';

export const EMOJI: readonly (readonly [string, string])[] = [
  ['👍', 'thumbs up'], ['❤️', 'heart'], ['😂', 'laughing'], ['🎉', 'party'],
  ['😮', 'surprised'], ['😢', 'sad'], ['🙏', 'thank you'], ['🔥', 'fire'],
];

export function EmojiPicker({ onPick }: { readonly onPick: (emoji: string) => void }) {
  const [open, setOpen] = useState(false);
  const toggle = useRef<HTMLButtonElement>(null);
  const grid = useRef<HTMLDivElement>(null);
  const id = useId();

  function close() {
    setOpen(false);
    toggle.current?.focus();
  }

  function keyDown(event: KeyboardEvent<HTMLDivElement>) {
    const buttons = [...(grid.current?.querySelectorAll('button') ?? [])];
    const index = buttons.indexOf(document.activeElement as HTMLButtonElement);
    const step = { ArrowRight: 1, ArrowDown: 4, ArrowLeft: -1, ArrowUp: -4 }[event.key];
    if (event.key === 'Escape') {
      event.preventDefault();
      close();
    } else if (step !== undefined) {
      event.preventDefault();
      buttons[(index + step + buttons.length) % buttons.length]?.focus();
    }
  }

  return (
    <span className="emoji-picker">
      <button
        ref={toggle}
        type="button"
        className="button button-quiet button-icon"
        aria-label="Add reaction"
        aria-expanded={open}
        aria-controls={id}
        onClick={() => {
          setOpen((o) => !o);
          requestAnimationFrame(() => grid.current?.querySelector('button')?.focus());
        }}
      >
        <Icon name="react" />
      </button>
      {open && (
        <div ref={grid} id={id} className="emoji-grid" role="group" aria-label="Reactions" onKeyDown={keyDown}>
          {EMOJI.map(([emoji, name]) => (
            <button
              key={emoji}
              type="button"
              className="emoji-option"
              aria-label={`React ${name}`}
              title={name}
              onClick={() => {
                onPick(emoji);
                close();
              }}
            >
              {emoji}
            </button>
          ))}
        </div>
      )}
    </span>
  );
}
