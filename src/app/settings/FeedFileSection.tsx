/**
 * The whole feed as one file: export it (the key too, sealed by a passphrase, only when asked) and import one
 * (checked whole in the worker before anything is taken in). PROTOCOL.md, "Feed files".
 */
import { type FormEvent, useId, useState } from 'react';
import type { FeedFileProgress, PseudonymSummary } from '../../../workers/api/api-types.ts';
import { useCore } from '../core/use-core.ts';
import { useCoreQuery } from '../core/use-core-query.ts';
import { runAction } from '../post/run-action.ts';
import { PassphraseField } from '../shell/PassphraseField.tsx';
import { downloadBlob } from './download-file.ts';
import { FEED_FILE_ERRORS } from './settings-errors.ts';

const MIN_PASSPHRASE = 8;

const PHASE_WORDS: Readonly<Record<FeedFileProgress['phase'], string>> = {
  exporting: 'Writing your feed',
  checking: 'Checking the file',
  storing: 'Storing its commits',
};

/** Where a long export or import is, in words: "Checking the file… 1,200 of 10,000 commits". */
export function progressWords({ phase, done, total }: FeedFileProgress): string {
  return `${PHASE_WORDS[phase]}… ${done.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} commits`;
}

export function FeedFileSection({ pseudonym }: { readonly pseudonym: PseudonymSummary }) {
  const core = useCore();
  const [withKey, setWithKey] = useState(false);
  const [passphrase, setPassphrase] = useState('');
  const [file, setFile] = useState<File>();
  const [importPassphrase, setImportPassphrase] = useState('');
  const [note, setNote] = useState<string>();
  const [busy, setBusy] = useState(false);
  const ids = useId();
  // The worker says how far it is (a 'feed-file' notice each hundred commits).
  const progress = useCoreQuery(
    'feed-file-progress',
    () => core.findFeedFileProgress(),
    (c) => c.kind === 'feed-file',
  ).data;
  const shown = busy && progress ? progress : undefined;

  async function exportFeed(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (withKey && passphrase.length < MIN_PASSPHRASE)
      return setNote(`Use a passphrase of at least ${MIN_PASSPHRASE} characters for the key`);
    setBusy(true);
    setNote('Writing your feed…');
    const options = withKey ? { passphrase } : {};
    const result = await runAction(() => core.exportFeed(pseudonym.id, options), FEED_FILE_ERRORS);
    setBusy(false);
    if (!result.ok) return setNote(result.text);
    downloadBlob(result.value.file, result.value.fileName);
    setPassphrase('');
    setNote(`Saved ${result.value.fileName}: ${result.value.commits} commits${withKey ? ', with your key' : ''}.`);
  }

  async function importFeed(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!file) return setNote('Choose a feed file');
    setBusy(true);
    setNote('Checking the file…');
    const result = await runAction(() => core.importFeed(file, importPassphrase || undefined), FEED_FILE_ERRORS);
    setBusy(false);
    if (!result.ok) return setNote(result.text);
    setImportPassphrase('');
    const { commits, added } = result.value;
    setNote(`Imported ${commits} commits (${added} new here). They are sent to your hub next.`);
  }

  return (
    <section className="settings-section card" aria-labelledby={`${ids}-title`}>
      <h2 id={`${ids}-title`}>Your whole feed</h2>
      <p className="field-hint">
        One file with everything you posted, your media and your private settings, to keep or to take to another device.
        Anyone can check it; only your key opens the private part.
      </p>
      <form onSubmit={exportFeed} className="settings-form" aria-label="Export your feed">
        <label className="checkbox">
          <input type="checkbox" checked={withKey} onChange={(e) => setWithKey(e.target.checked)} /> Include my key,
          locked with a passphrase
        </label>
        {withKey && (
          <PassphraseField
            id={`${ids}-pass`}
            label="Passphrase for the key"
            autoComplete="new-password"
            value={passphrase}
            onChange={setPassphrase}
          />
        )}
        <button type="submit" className="button button-primary" disabled={busy}>
          Export feed
        </button>
      </form>
      <h3 className="settings-subtitle">Import a feed file</h3>
      <form onSubmit={importFeed} className="settings-form" aria-label="Import a feed file">
        <div className="field">
          <label className="field-label" htmlFor={`${ids}-file`}>
            Feed file
          </label>
          <input
            id={`${ids}-file`}
            type="file"
            accept=".feed,application/octet-stream"
            onChange={(e) => setFile(e.target.files?.[0])}
          />
        </div>
        <PassphraseField
          id={`${ids}-import-pass`}
          label="Its key's passphrase (only for a pseudonym not on this device)"
          autoComplete="current-password"
          value={importPassphrase}
          onChange={setImportPassphrase}
        />
        <button type="submit" className="button button-secondary" disabled={busy || !file}>
          Import feed
        </button>
      </form>
      {shown && (
        <progress
          className="feed-file-progress"
          max={shown.total}
          value={shown.done}
          aria-label={progressWords(shown)}
        />
      )}
      <p className="field-hint" role="status" data-testid="feed-file-status">
        {shown ? progressWords(shown) : note}
      </p>
    </section>
  );
}
