/**
 * Follow by handle: a native modal <dialog> (focus trapped, Escape closes,
 * focus returns to the opener). The worker resolves the handle by WebFinger,
 * records a follow commit and fetches the feed. Loaded when its button
 * (FollowButton.tsx) is first pressed, and shown at each press after.
 */
import { type FormEvent, type MouseEvent, useEffect, useId, useRef, useState } from 'react';
import type { PseudonymId } from '../../protocol/ids.ts';
import { formatHandle, parseHandle } from '../../protocol/handle-names.ts';
import { useCore } from '../core/use-core.ts';
import { describeError, describeFailure } from '../core/error-text.ts';
import { learnHandles } from '../timeline/known-handles.ts';

export interface FollowDialogProps {
  readonly pseudonym: PseudonymId;
  readonly onFollowed?: () => void;
  /** How many times its button was pressed: each new count shows the dialog. */
  readonly opens: number;
}

type Outcome = { readonly kind: 'working' | 'success' | 'error'; readonly text: string };

export function FollowDialog({ pseudonym, onFollowed, opens }: FollowDialogProps) {
  const core = useCore();
  const dialog = useRef<HTMLDialogElement>(null);
  const input = useRef<HTMLInputElement>(null);
  const [handle, setHandle] = useState('');
  const [outcome, setOutcome] = useState<Outcome>();
  const ids = useId();
  const busy = outcome?.kind === 'working';

  // biome-ignore lint/correctness/useExhaustiveDependencies: a press (a new count) is what opens it
  useEffect(() => {
    setOutcome(undefined);
    if (!dialog.current?.open) dialog.current?.showModal();
    input.current?.focus();
  }, [opens]);

  function close() {
    dialog.current?.close();
  }

  function backdropClick(event: MouseEvent<HTMLDialogElement>) {
    if (event.target === dialog.current && !busy) close();
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    let target: string;
    try {
      target = formatHandle(parseHandle(handle));
    } catch {
      setOutcome({ kind: 'error', text: 'That is not a handle like name@hub.example' });
      return;
    }
    setOutcome({ kind: 'working', text: `Looking up ${target}…` });
    try {
      const result = await core.follow(pseudonym, target);
      if (result.ok) {
        learnHandles(pseudonym, [{ author: result.value.target, authorHandle: target }]);
        setHandle('');
        setOutcome({ kind: 'success', text: `Following ${target}` });
        onFollowed?.();
      } else {
        setOutcome({ kind: 'error', text: describeFailure('follow', result.error, result.message) });
      }
    } catch (thrown) {
      setOutcome({ kind: 'error', text: describeError('follow', thrown) });
    }
  }

  return (
    <>
      {/* biome-ignore lint/a11y/useKeyWithClickEvents: the backdrop click is the mouse's Escape; the key is native */}
      <dialog ref={dialog} className="dialog" aria-labelledby={`${ids}-title`} onClick={backdropClick}>
        <form className="dialog-body" onSubmit={submit} noValidate>
          <div className="dialog-head">
            <h2 id={`${ids}-title`}>Follow someone</h2>
            <button type="button" className="button button-quiet dialog-close" onClick={close} aria-label="Close">
              <svg viewBox="0 0 20 20" width="18" height="18" aria-hidden="true" focusable="false">
                <path d="M5 5l10 10M15 5L5 15" stroke="currentColor" strokeWidth="2" strokeLinecap="round" />
              </svg>
            </button>
          </div>
          <p className="dialog-text">
            Their posts join your timeline, newest first. Murmur checks every signature, whichever hub they come from.
          </p>
          <div className="field">
            <label className="field-label" htmlFor={`${ids}-handle`}>
              Handle to follow
            </label>
            <input
              ref={input}
              id={`${ids}-handle`}
              className="input"
              placeholder="name@hub.example"
              value={handle}
              onChange={(e) => setHandle(e.target.value)}
              autoCapitalize="none"
              autoCorrect="off"
              autoComplete="off"
              spellCheck={false}
              inputMode="email"
              aria-invalid={outcome?.kind === 'error' ? true : undefined}
              aria-describedby={`${ids}-outcome`}
            />
          </div>
          <p id={`${ids}-outcome`} className={`dialog-outcome outcome-${outcome?.kind ?? 'none'}`} role="status">
            {busy && <span className="spinner" aria-hidden="true" />}
            {outcome?.text}
          </p>
          <div className="dialog-actions">
            <button type="button" className="button button-quiet" onClick={close}>
              Done
            </button>
            <button type="submit" className="button button-primary" disabled={busy || handle.trim() === ''}>
              Follow
            </button>
          </div>
        </form>
      </dialog>
    </>
  );
}
