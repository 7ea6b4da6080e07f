/**
 * A draft kept on this device per pseudonym and per context (home, reply to X,
 * quote of Y). Written through on every change: localStorage is synchronous
 * and drafts are small, and a debounced write lost the last keystrokes when
 * the composer unmounted (switching pseudonym right after typing).
 */
import { useCallback, useState } from 'react';

const PREFIX = 'murmur.draft.';

function readDraft(key: string): string {
  try {
    return localStorage.getItem(PREFIX + key) ?? '';
  } catch {
    return '';
  }
}

function writeDraft(key: string, text: string): void {
  try {
    if (text) localStorage.setItem(PREFIX + key, text);
    else localStorage.removeItem(PREFIX + key);
  } catch (error) {
    console.warn('murmur: could not keep the draft', error);
  }
}

export function useDraft(key: string): [string, (text: string) => void] {
  const [draft, setDraft] = useState(() => ({ key, text: readDraft(key) }));
  // A new key (another pseudonym or context) reads its own draft, never carries this one over.
  const text = draft.key === key ? draft.text : readDraft(key);
  const setText = useCallback((next: string) => {
    setDraft({ key, text: next });
    writeDraft(key, next);
  }, [key]);
  return [text, setText];
}
