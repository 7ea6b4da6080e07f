/** A passphrase lock: secret keys encrypted at rest; signing needs unlocking. */
import { type FormEvent, useId, useState } from 'react';
import { useCore } from '../core/use-core.ts';
import { useCoreQuery } from '../core/use-core-query.ts';
import { runAction } from '../post/run-action.ts';
import { PassphraseField } from '../shell/PassphraseField.tsx';

export function LockSection() {
  const core = useCore();
  const { data: state, error } = useCoreQuery(
    'lock',
    () => core.getLockState(),
    (c) => c.kind === 'lock',
  );
  const [passphrase, setPassphrase] = useState('');
  const [note, setNote] = useState<string>();
  const ids = useId();

  async function setLock(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (passphrase.length < 8) return setNote('Use at least 8 characters');
    const result = await runAction(() => core.setLock(passphrase), 'lock');
    setPassphrase('');
    setNote(result.ok ? 'Lock set: your keys are encrypted on this device' : result.text);
  }

  async function removeLock() {
    const result = await runAction(() => core.setLock(undefined), 'lock');
    setNote(result.ok ? 'Lock removed' : result.text);
  }

  return (
    <section className="settings-section card" aria-labelledby={`${ids}-title`}>
      <h2 id={`${ids}-title`}>Passphrase lock</h2>
      <p className="field-hint" data-testid="lock-state">
        {error
          ? 'The lock is not available on this device yet.'
          : state === 'none'
            ? 'Not locked: anyone using this browser can post as you.'
            : state === undefined
              ? 'Checking…'
              : 'Locked with a passphrase.'}
      </p>
      <form onSubmit={setLock} className="settings-form">
        <PassphraseField
          id={`${ids}-pass`}
          label={state === 'none' ? 'New lock passphrase' : 'Change lock passphrase'}
          autoComplete="new-password"
          value={passphrase}
          onChange={setPassphrase}
        />
        <div className="settings-row">
          <button type="submit" className="button button-primary">
            Set lock
          </button>
          {state !== 'none' && state !== undefined && (
            <>
              <button type="button" className="button button-secondary" onClick={() => void core.lock()}>
                Lock now
              </button>
              <button type="button" className="button button-quiet" onClick={() => void removeLock()}>
                Remove lock
              </button>
            </>
          )}
        </div>
        <p className="field-hint" role="status">
          {note}
        </p>
      </form>
    </section>
  );
}
