/**
 * An accessible emoji picker: a disclosure button opening a small grid of
 * named emoji buttons (arrow keys move, Escape closes and returns focus).
 */
import { Icon } from '../shell/Icon.tsx';
import { useDisclosure } from '../shell/use-disclosure.ts';

/** The grid is 4 wide: left and right move by one, up and down by a row. */
const GRID_STEPS = { ArrowRight: 1, ArrowDown: 4, ArrowLeft: -1, ArrowUp: -4 };

export const EMOJI: readonly (readonly [string, string])[] = [
  ['👍', 'thumbs up'],
  ['❤️', 'heart'],
  ['😂', 'laughing'],
  ['🎉', 'party'],
  ['😮', 'surprised'],
  ['😢', 'sad'],
  ['🙏', 'thank you'],
  ['🔥', 'fire'],
];

export function EmojiPicker({ onPick }: { readonly onPick: (emoji: string) => void }) {
  const { open, close, flip, keyDown, toggle, panel, id } = useDisclosure(GRID_STEPS);

  return (
    <span className="emoji-picker">
      <button
        ref={toggle}
        type="button"
        className="button button-quiet button-icon"
        aria-label="Add reaction"
        aria-expanded={open}
        aria-controls={id}
        onClick={flip}
      >
        <Icon name="react" />
      </button>
      {open && (
        <fieldset ref={panel} id={id} className="emoji-grid" aria-label="Reactions" onKeyDown={keyDown}>
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
        </fieldset>
      )}
    </span>
  );
}
