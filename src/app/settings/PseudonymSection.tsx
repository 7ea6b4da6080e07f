/**
 * This pseudonym: its name, handle, hubs (home first), rename, removing it from this device, and retiring it for
 * good (its hubs release its handle; nothing points anywhere else).
 */
import { type FormEvent, useId, useState } from 'react';
import type { PseudonymSummary } from '../../../workers/api/api-types.ts';
import { useCore } from '../core/use-core.ts';
import { runAction } from '../post/run-action.ts';
import { Modal } from '../shell/Modal.tsx';
import { HubsEditor } from './HubsEditor.tsx';

export function PseudonymSection({ pseudonym }: { readonly pseudonym: PseudonymSummary }) {
  const core = useCore();
  const [name, setName] = useState(pseudonym.name);
  const [note, setNote] = useState<string>();
  /** Which removal is being confirmed: from this device, or for good everywhere. */
  const [confirming, setConfirming] = useState<'device' | 'everywhere' | false>(false);
  const [busy, setBusy] = useState(false);
  const ids = useId();

  async function rename(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    // One name: the one on this device (the switcher) and the one published on the profile, as at onboarding.
    const result = await runAction(async () => {
      const renamed = await core.renamePseudonym(pseudonym.id, name.trim());
      return renamed.ok ? core.setProfile(pseudonym.id, { name: name.trim() }) : renamed;
    });
    setNote(result.ok ? 'Renamed: your profile shows the new name' : result.text);
  }

  async function retire(everywhere: boolean) {
    setBusy(true);
    const result = await runAction(() => core.retirePseudonym(pseudonym.id, { everywhere }));
    setBusy(false);
    setConfirming(false);
    setNote(result.ok ? (everywhere ? 'Retired: its handle is free again' : 'Removed from this device') : result.text);
    if (result.ok) location.hash = '#/';
  }

  return (
    <section className="settings-section card" aria-labelledby={`${ids}-title`}>
      <h2 id={`${ids}-title`}>Identity and hubs</h2>
      <dl className="settings-facts">
        <div>
          <dt>Handle</dt>
          <dd>{pseudonym.handle ?? 'None yet'}</dd>
        </div>
        <div>
          <dt>Key</dt>
          <dd className="mono">{pseudonym.id}</dd>
        </div>
      </dl>
      <h3 className="settings-subtitle">Hubs</h3>
      <HubsEditor pseudonym={pseudonym} />
      <form onSubmit={rename} className="settings-form">
        <div className="field">
          <label className="field-label" htmlFor={`${ids}-name`}>
            Display name
          </label>
          <input
            id={`${ids}-name`}
            className="input"
            value={name}
            maxLength={64}
            aria-describedby={`${ids}-name-hint`}
            onChange={(e) => setName(e.target.value)}
          />
          <p id={`${ids}-name-hint`} className="field-hint">
            Published on your profile: shown to everyone beside your handle, as Edit profile sets it.
          </p>
        </div>
        <div className="settings-row">
          <button
            type="submit"
            className="button button-secondary"
            disabled={name.trim() === '' || name === pseudonym.name}
          >
            Rename
          </button>
          <button type="button" className="button button-danger" onClick={() => setConfirming('device')}>
            Remove from this device
          </button>
          <button type="button" className="button button-danger" onClick={() => setConfirming('everywhere')}>
            Retire for good
          </button>
        </div>
        <p className="field-hint" role="status">
          {note}
        </p>
      </form>
      <Modal
        open={confirming !== false}
        title={confirming === 'everywhere' ? 'Retire this pseudonym for good?' : 'Remove this pseudonym?'}
        onClose={() => setConfirming(false)}
      >
        <p className="dialog-text">
          {confirming === 'everywhere'
            ? 'Your hubs release its handle, so anyone may claim it, and it can never claim one there again. ' +
              'Nothing points to another pseudonym. Its keys leave this device; its posts stay on hubs. ' +
              'This cannot be undone.'
            : 'Its keys leave this device. Without a backup you cannot post as it again. Its posts stay on hubs.'}
        </p>
        <div className="dialog-actions">
          <button type="button" className="button button-quiet" onClick={() => setConfirming(false)}>
            Keep it
          </button>
          <button
            type="button"
            className="button button-danger"
            disabled={busy}
            onClick={() => void retire(confirming === 'everywhere')}
          >
            {confirming === 'everywhere' ? 'Retire for good' : 'Remove'}
          </button>
        </div>
      </Modal>
    </section>
  );
}
