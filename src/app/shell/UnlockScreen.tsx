/** Keys are locked: the passphrase unlocks them in the worker (it never leaves it). */
import { type FormEvent, useId, useState } from 'react';
import { useCore } from '../core/use-core.ts';
import { runAction } from '../post/run-action.ts';
import { LogoMark } from './LogoMark.tsx';
import { PassphraseField } from './PassphraseField.tsx';

export function UnlockScreen() {
  const core = useCore();
  const [passphrase, setPassphrase] = useState('');
  const [error, setError] = useState<string>();
  const ids = useId();

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const result = await runAction(() => core.unlock(passphrase), 'lock');
    if (!result.ok) setError(result.text);
  }

  return (
    <section className="onboarding" aria-labelledby={`${ids}-title`}>
      <form className="onboarding-card" onSubmit={submit}>
        <LogoMark className="onboarding-logo" />
        <h1 id={`${ids}-title`}>Murmur is locked</h1>
        <PassphraseField
          id={`${ids}-pass`}
          label="Lock passphrase"
          autoComplete="current-password"
          value={passphrase}
          onChange={setPassphrase}
        />
        <div className="message message-error" role="alert">
          {error}
        </div>
        <button type="submit" className="button button-primary button-block">
          Unlock
        </button>
      </form>
    </section>
  );
}
