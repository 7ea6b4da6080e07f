/** A draft kept on this device per pseudonym and per context (home, reply to X, quote of Y). */
import { useEffect, useState } from 'react';

const PREFIX = 'murmur.draft.';

export function useDraft(key: string): [string, (text: string) => void] {
  const [text, setText] = useState(() => {
    try {
      return localStorage.getItem(PREFIX + key) ?? '';
    } catch {
      return '';
    }
  });
  useEffect(() => {
    const timer = setTimeout(() => {
      try {
        if (text) localStorage.setItem(PREFIX + key, text);
        else localStorage.removeItem(PREFIX + key);
      } catch (error) {
        console.warn('murmur: could not keep the draft', error);
      }
    }, 250);
    return () => clearTimeout(timer);
  }, [key, text]);
  return [text, setText];
}
