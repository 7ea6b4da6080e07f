/**
 * A disclosure button and the small panel of buttons it opens (the emoji
 * picker, a post's menu): opening focuses the first button, arrow keys move
 * by `steps`, Escape closes and gives focus back to the toggle.
 */
import { type KeyboardEvent, useId, useRef, useState } from 'react';

export function useDisclosure(steps: Readonly<Record<string, number>>) {
  const [open, setOpen] = useState(false);
  const toggle = useRef<HTMLButtonElement>(null);
  const panel = useRef<HTMLFieldSetElement>(null);
  const id = useId();

  function close() {
    setOpen(false);
    toggle.current?.focus();
  }

  function flip() {
    setOpen((o) => !o);
    requestAnimationFrame(() => panel.current?.querySelector('button')?.focus());
  }

  function keyDown(event: KeyboardEvent<HTMLFieldSetElement>) {
    const buttons = [...(panel.current?.querySelectorAll('button') ?? [])];
    const index = buttons.indexOf(document.activeElement as HTMLButtonElement);
    const step = steps[event.key];
    if (event.key === 'Escape') {
      event.preventDefault();
      close();
    } else if (step !== undefined) {
      event.preventDefault();
      buttons[(index + step + buttons.length) % buttons.length]?.focus();
    }
  }

  return { open, setOpen, close, flip, keyDown, toggle, panel, id };
}
