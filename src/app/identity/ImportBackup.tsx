/** Bring a pseudonym from a backup file: the file and its passphrase go to the worker, which decrypts it there. */
import { type FormEvent, useId, useState } from 'react';
import type { PseudonymSummary } from '../../../workers/api/api-types.ts';
import { useCore } from '../core/use-core.ts';
import { runAction } from '../post/run-action.ts';
import { PassphraseField } from '../shell/PassphraseField.tsx';

export function ImportBackup({ onImported }: { readonly onImported: (pseudonym: PseudonymSummary) => void }) {
  const core = useCore();
  const [file, setFile] = useState<File>();
  const [passphrase, setPassphrase] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const ids = useId();

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!file) return setError('Choose a backup file');
    setBusy(true);
    setError(undefined);
    const bytes = new Uint8Array(await file.arrayBuffer());
    const result = await runAction(() => core.importPseudonym(bytes, passphrase), 'backup');
    setBusy(false);
    if (result.ok) onImported(result.value);
    else setError(result.text);
  }

  return (
    <form className="import-form" onSubmit={submit} aria-label="Import a backup">
      <div className="field">
        <label className="field-label" htmlFor={`${ids}-file`}>
          Backup file
        </label>
        <input
          id={`${ids}-file`}
          type="file"
          accept=".murmur,application/octet-stream"
          onChange={(e) => setFile(e.target.files?.[0])}
        />
      </div>
      <PassphraseField
        id={`${ids}-pass`}
        label="Backup passphrase"
        autoComplete="current-password"
        value={passphrase}
        onChange={setPassphrase}
      />
      <div className="message message-error" role="alert">
        {error}
      </div>
      <button
        type="submit"
        className="button button-secondary button-block"
        disabled={busy || !file || passphrase === ''}
      >
        {busy && <span className="spinner" aria-hidden="true" />}
        Import backup
      </button>
    </form>
  );
}
