/** Light and dark: follows the system unless chosen here (kept on this device). */
import { useId } from 'react';
import { type ThemeChoice, useTheme } from './use-theme.ts';

export function ThemeSection() {
  const [theme, setTheme] = useTheme();
  const ids = useId();
  const options: readonly [ThemeChoice, string][] = [
    ['system', 'Follow the system'],
    ['light', 'Light'],
    ['dark', 'Dark'],
  ];
  return (
    <section className="settings-section card" aria-labelledby={`${ids}-title`}>
      <h2 id={`${ids}-title`}>Appearance</h2>
      <fieldset className="radio-group">
        <legend className="field-label">Theme</legend>
        {options.map(([value, label]) => (
          <label key={value} className="checkbox">
            <input
              type="radio"
              name={`${ids}-theme`}
              value={value}
              checked={theme === value}
              onChange={() => setTheme(value)}
            />{' '}
            {label}
          </label>
        ))}
      </fieldset>
    </section>
  );
}
