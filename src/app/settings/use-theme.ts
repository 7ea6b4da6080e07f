/** The theme choice: 'system' (default) or a fixed light/dark, set as data-theme on <html>. */
import { useState } from 'react';

export type ThemeChoice = 'system' | 'light' | 'dark';
const KEY = 'murmur.theme';

export function readTheme(): ThemeChoice {
  try {
    const v = localStorage.getItem(KEY);
    return v === 'light' || v === 'dark' ? v : 'system';
  } catch {
    return 'system';
  }
}

export function applyTheme(choice: ThemeChoice): void {
  if (choice === 'system') delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = choice;
}

export function useTheme(): [ThemeChoice, (choice: ThemeChoice) => void] {
  const [theme, set] = useState(readTheme);
  return [
    theme,
    (choice) => {
      set(choice);
      applyTheme(choice);
      try {
        if (choice === 'system') localStorage.removeItem(KEY);
        else localStorage.setItem(KEY, choice);
      } catch (error) {
        console.warn('murmur: could not keep the theme', error);
      }
    },
  ];
}
