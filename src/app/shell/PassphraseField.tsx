/**
 * A labelled passphrase input, the one markup behind every form that asks for a passphrase (backup, feed
 * file, lock, unlock), so they stay alike for the person and for the password manager that reads them.
 */
import type { ReactNode } from 'react';

export function PassphraseField({
  id,
  label,
  value,
  onChange,
  autoComplete,
}: {
  readonly id: string;
  readonly label: ReactNode;
  readonly value: string;
  readonly onChange: (value: string) => void;
  /** 'new-password' where a passphrase is chosen, 'current-password' where one is asked back. */
  readonly autoComplete: 'new-password' | 'current-password';
}) {
  return (
    <div className="field">
      <label className="field-label" htmlFor={id}>
        {label}
      </label>
      <input
        id={id}
        className="input"
        type="password"
        autoComplete={autoComplete}
        value={value}
        onChange={(e) => onChange(e.target.value)}
      />
    </div>
  );
}
