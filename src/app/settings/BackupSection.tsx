/** Export this pseudonym as an encrypted file, or import one. */
import { type FormEvent, useId, useState } from 'react';
import type { PseudonymSummary } from '../../../workers/api/api-types.ts';
import { useCore } from '../core/use-core.ts';
import { ImportBackup } from '../identity/ImportBackup.tsx';
import { runAction } from '../post/run-action.ts';
import { downloadBytes } from './download-file.ts';
import { PassphraseField } from '../shell/PassphraseField.tsx';

const MIN_PASSPHRASE = 8;

export function BackupSection({
  pseudonym,
  onImported,
}: {
  readonly pseudonym: PseudonymSummary;
  readonly onImported: (p: PseudonymSummary) => void;
}) {
  const core = useCore();
  const [passphrase, setPassphrase] = useState('');
  const [note, setNote] = useState<string>();
  const [busy, setBusy] = useState(false);
  const ids = useId();

  async function exportBackup(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (passphrase.length < MIN_PASSPHRASE) return setNote(`Use a passphrase of at least ${MIN_PASSPHRASE} characters`);
    setBusy(true);
    setNote('Encrypting…');
    const result = await runAction(() => core.exportPseudonym(pseudonym.id, passphrase), 'backup');
    setBusy(false);
    if (!result.ok) return setNote(result.text);
    downloadBytes(result.value.bytes, result.value.fileName);
    setPassphrase('');
    setNote(`Saved ${result.value.fileName}. Keep it and its passphrase somewhere safe.`);
  }

  return (
    <section className="settings-section card" aria-labelledby={`${ids}-title`}>
      <h2 id={`${ids}-title`}>Backup</h2>
      <p className="field-hint">
        Your keys exist only on this device. A backup file, encrypted with your passphrase, is how you keep them.
      </p>
      <form onSubmit={exportBackup} className="settings-form">
        <PassphraseField
          id={`${ids}-pass`}
          label="Passphrase for the backup"
          autoComplete="new-password"
          value={passphrase}
          onChange={setPassphrase}
        />
        <button type="submit" className="button button-primary" disabled={busy}>
          Export backup
        </button>
        <p className="field-hint" role="status" data-testid="backup-status">
          {note}
        </p>
      </form>
      <h3 className="settings-subtitle">Import a backup</h3>
      <ImportBackup onImported={onImported} />
    </section>
  );
}
