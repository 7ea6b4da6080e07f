/**
 * Renders a screen into the test's DOM (happy-dom) under a <CoreProvider>, and
 * waits for what a person would see: text on the page, not React internals.
 */
import { type ReactNode, createElement } from 'react';
import { type Root, createRoot } from 'react-dom/client';
import type { Core } from '../core/core-context.ts';
import { CoreProvider } from '../core/CoreProvider.tsx';

export interface Rendered {
  readonly container: HTMLElement;
  /** Polls until `probe` returns something truthy (the DOM settles a few tasks after a core answers). */
  waitFor<T>(what: string, probe: () => T | undefined | null | false): Promise<T>;
  /** The page's text, whitespace collapsed. */
  text(): string;
  unmount(): void;
}

// A bound, not a guess: generous for a busy shared machine, and inside Vitest's 60 s per test so that the
// failure names what it waited for.
const TIMEOUT_MS = 30_000;

export function renderWithCore(core: Core, screen: ReactNode): Rendered {
  const container = document.createElement('div');
  document.body.append(container);
  const root: Root = createRoot(container);
  root.render(createElement(CoreProvider, { core }, screen));
  const text = () => (container.textContent ?? '').replace(/\s+/g, ' ');
  return {
    container,
    text,
    async waitFor(what, probe) {
      const deadline = Date.now() + TIMEOUT_MS;
      for (;;) {
        const found = probe();
        if (found) return found;
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; the page says: ${text()}`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
    unmount() {
      root.unmount();
      container.remove();
    },
  };
}

/** Types into a React-controlled field as a person does: the native value setter, then an input event. */
export function typeInto(field: HTMLTextAreaElement | HTMLInputElement, value: string): void {
  const prototype = field instanceof HTMLTextAreaElement ? HTMLTextAreaElement.prototype : HTMLInputElement.prototype;
  // React tracks the value it last set; only the prototype's setter makes it see a change.
  Object.getOwnPropertyDescriptor(prototype, 'value')?.set?.call(field, value);
  field.dispatchEvent(new Event('input', { bubbles: true }));
}
