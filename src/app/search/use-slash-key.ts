/**
 * The `/` key opens search from anywhere (as on many sites), unless the
 * person is typing: in a field, an editable element, or with a modifier held.
 * On the search screen it puts the focus back in its field.
 */
import { useEffect } from 'react';
import { routeHref } from '../nav/route.ts';

/** True when a key press there is someone typing, not a shortcut. */
export function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

export function useSlashKey(enabled: boolean): void {
  useEffect(() => {
    if (!enabled) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== '/' || event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) return;
      if (isTyping(event.target)) return;
      event.preventDefault();
      const field = document.getElementById('search-input');
      if (field) field.focus();
      else location.hash = routeHref({ name: 'search', q: '' });
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [enabled]);
}
