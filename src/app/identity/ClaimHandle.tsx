/**
 * For a pseudonym without a handle (its claim could not reach the hub, or the
 * name was taken): claim one from the header. A claim left pending because
 * the device was offline is retried when the device comes back online.
 */
import { type FormEvent, useCallback, useEffect, useId, useState } from 'react';
import type { PseudonymSummary } from '../../../workers/api/api-types.ts';
import { isHandleName } from '../../protocol/handle-names.ts';
import { useCore } from '../core/use-core.ts';
import { describeError, describeFailure } from '../core/error-text.ts';
import { findPendingHandle, putPendingHandle } from './pending-handles.ts';
import { homeHost } from './pseudonym-label.ts';

export interface ClaimHandleProps {
  readonly pseudonym: PseudonymSummary;
  readonly onClaimed: () => void;
}

export function ClaimHandle({ pseudonym, onClaimed }: ClaimHandleProps) {
  const core = useCore();
  const [open, setOpen] = useState(false);
  const [name, setName] = useState(() => findPendingHandle(pseudonym.id) ?? '');
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<string>();
  const ids = useId();
  const host = homeHost();

  const claim = useCallback(
    async (handleName: string) => {
      setBusy(true);
      setOutcome(`Claiming ${handleName}@${host}…`);
      try {
        const result = await core.claimHandle(pseudonym.id, handleName);
        if (result.ok) {
          putPendingHandle(pseudonym.id, undefined);
          setOutcome(undefined);
          setOpen(false);
          onClaimed();
          return;
        }
        if (result.error === 'Offline') putPendingHandle(pseudonym.id, handleName);
        else putPendingHandle(pseudonym.id, undefined);
        setOutcome(describeFailure('claim', result.error, result.message));
        setOpen(true);
      } catch (thrown) {
        setOutcome(describeError('claim', thrown));
        setOpen(true);
      } finally {
        setBusy(false);
      }
    },
    [core, host, onClaimed, pseudonym.id],
  );

  // Retry a claim that was left for later as soon as the network is back.
  useEffect(() => {
    const retry = () => {
      const pending = findPendingHandle(pseudonym.id);
      if (pending) void claim(pending);
    };
    window.addEventListener('online', retry);
    return () => window.removeEventListener('online', retry);
  }, [claim, pseudonym.id]);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const handleName = name.trim().toLowerCase();
    if (!isHandleName(handleName)) {
      setOutcome('That handle is not valid: use lowercase letters, digits, _ . and - (1 to 32)');
      return;
    }
    void claim(handleName);
  }

  return (
    <div className="claim">
      <span className="claim-note">Claim a handle so others can find this pseudonym.</span>
      <button
        type="button"
        className="button button-secondary button-small"
        aria-expanded={open}
        aria-controls={`${ids}-panel`}
        onClick={() => setOpen((o) => !o)}
      >
        Claim handle
      </button>
      <div id={`${ids}-panel`} className="claim-panel" hidden={!open}>
        {open && (
          <form className="claim-form" onSubmit={submit} noValidate>
            <label className="field-label" htmlFor={`${ids}-input`}>
              Handle to claim
            </label>
            <div className="claim-row">
              <div className="handle-input">
                <input
                  id={`${ids}-input`}
                  className="input"
                  value={name}
                  onChange={(e) => setName(e.target.value.toLowerCase())}
                  maxLength={32}
                  autoCapitalize="none"
                  autoCorrect="off"
                  spellCheck={false}
                  aria-describedby={`${ids}-suffix ${ids}-outcome`}
                />
                <span id={`${ids}-suffix`} className="handle-suffix">
                  @{host}
                </span>
              </div>
              <button type="submit" className="button button-primary" disabled={busy}>
                Claim
              </button>
            </div>
          </form>
        )}
        <p id={`${ids}-outcome`} className="claim-outcome" role="status">
          {outcome}
        </p>
      </div>
    </div>
  );
}
