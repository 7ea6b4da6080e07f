/**
 * Create a pseudonym: a key pair made in the worker on this device, then a
 * handle claimed on this hub. Creating works offline; a claim that cannot
 * reach the hub is kept and retried from the header.
 */
import { type FormEvent, Suspense, lazy, useId, useState } from 'react';
import type { PseudonymSummary } from '../../../workers/api/api-types.ts';
import { isHandleName } from '../../protocol/handle-names.ts';
import { useCore } from '../core/use-core.ts';
import { describeError, describeFailure } from '../core/error-text.ts';
import { KeysExplainer } from './KeysExplainer.tsx';
import { OnboardingIntro } from './OnboardingIntro.tsx';
import { putPendingHandle } from './pending-handles.ts';
import { homeHost } from './pseudonym-label.ts';

// Behind its disclosure: loaded when first opened, not with the first visit's screen.
const ImportBackup = lazy(() => import('./ImportBackup.tsx').then((m) => ({ default: m.ImportBackup })));

export interface OnboardingProps {
  /** True when this device already holds a pseudonym (changes the wording, allows Cancel). */
  readonly hasOthers: boolean;
  /** The pseudonym exists (with its handle, or with a claim left for later). */
  readonly onDone: (pseudonym: PseudonymSummary) => void;
  readonly onCancel?: () => void;
}

type Phase = 'idle' | 'creating' | 'claiming';

const NAME_MAX = 64;
const HANDLE_RULE = 'Lowercase letters, digits, _ . and - (1 to 32), not starting or ending with . or -';

export function Onboarding({ hasOthers, onDone, onCancel }: OnboardingProps) {
  const core = useCore();
  const [name, setName] = useState('');
  const [handle, setHandle] = useState('');
  const [phase, setPhase] = useState<Phase>('idle');
  const [error, setError] = useState<string>();
  const [invalid, setInvalid] = useState<'name' | 'handle'>();
  // Set once the key pair exists, so a retry after "handle taken" only claims again.
  const [created, setCreated] = useState<PseudonymSummary>();
  const [importing, setImporting] = useState(false);
  const ids = useId();
  const host = homeHost();
  const busy = phase !== 'idle';

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    const displayName = name.trim();
    const handleName = handle.trim().toLowerCase();
    if (displayName === '') return fail('name', 'Enter a display name');
    if (!isHandleName(handleName)) return fail('handle', 'That handle is not valid: see the rule below it');
    setError(undefined);
    setInvalid(undefined);
    let step: 'create' | 'claim' = 'create';
    try {
      let pseudonym = created;
      if (!pseudonym) {
        setPhase('creating');
        pseudonym = await core.createPseudonym({ name: displayName, homeHub: location.origin });
        setCreated(pseudonym);
        // The display name is the published profile name: others see it beside the handle from the first post.
        const id = pseudonym.id;
        core.setProfile(id, { name: displayName }).then(
          (result) => {
            if (!result.ok) console.warn('murmur: display name not published yet', result.message);
          },
          (error: unknown) => console.warn('murmur: display name not published yet', error),
        );
        // Publish the key others seal messages to now, so anyone can write before this person opens Messages.
        core.enableMessages(id).then(
          (result) => {
            if (!result.ok) console.warn('murmur: messages key not published yet', result.message);
          },
          (error: unknown) => console.warn('murmur: messages key not published yet', error),
        );
      }
      step = 'claim';
      setPhase('claiming');
      const claim = await core.claimHandle(pseudonym.id, handleName);
      if (claim.ok) {
        putPendingHandle(pseudonym.id, undefined);
        onDone({ ...pseudonym, handle: claim.value.handle });
      } else if (claim.error === 'Offline') {
        putPendingHandle(pseudonym.id, handleName);
        onDone(pseudonym);
      } else {
        setPhase('idle');
        fail('handle', describeFailure('claim', claim.error, claim.message));
      }
    } catch (thrown) {
      setPhase('idle');
      setError(describeError(step, thrown));
    }
  }

  function fail(field: 'name' | 'handle', message: string) {
    setInvalid(field);
    setError(message);
  }

  return (
    <section className="onboarding" aria-labelledby={`${ids}-title`}>
      <div className="onboarding-card">
        <OnboardingIntro titleId={`${ids}-title`} hasOthers={hasOthers} />
        <form className="onboarding-form" onSubmit={submit} noValidate>
          <div className="field">
            <label className="field-label" htmlFor={`${ids}-name`}>
              Display name
            </label>
            <input
              id={`${ids}-name`}
              className="input"
              value={name}
              onChange={(e) => setName(e.target.value)}
              maxLength={NAME_MAX}
              autoComplete="nickname"
              disabled={busy || created !== undefined}
              aria-invalid={invalid === 'name' ? true : undefined}
              aria-describedby={invalid === 'name' ? `${ids}-error` : undefined}
            />
          </div>

          <div className="field">
            <label className="field-label" htmlFor={`${ids}-handle`}>
              Handle
            </label>
            <div className="handle-input">
              <input
                id={`${ids}-handle`}
                className="input"
                value={handle}
                onChange={(e) => setHandle(e.target.value.toLowerCase())}
                maxLength={32}
                autoCapitalize="none"
                autoCorrect="off"
                autoComplete="username"
                spellCheck={false}
                disabled={busy}
                aria-invalid={invalid === 'handle' ? true : undefined}
                aria-describedby={`${ids}-suffix ${ids}-handle-hint${invalid === 'handle' ? ` ${ids}-error` : ''}`}
              />
              <span id={`${ids}-suffix`} className="handle-suffix">
                @{host}
              </span>
            </div>
            <p id={`${ids}-handle-hint`} className="field-hint">
              {HANDLE_RULE}. First come, first served on this hub.
            </p>
          </div>

          <div id={`${ids}-error`} className="message message-error" role="alert">
            {error}
          </div>

          <button type="submit" className="button button-primary button-block" disabled={busy}>
            {busy && <span className="spinner" aria-hidden="true" />}
            Create pseudonym
          </button>
          <p className="onboarding-progress" aria-live="polite">
            {phase === 'creating' ? 'Making your keys…' : phase === 'claiming' ? `Claiming ${handle}@${host}…` : ''}
          </p>
          {onCancel && (
            <button type="button" className="button button-quiet button-block" onClick={onCancel} disabled={busy}>
              Cancel
            </button>
          )}
        </form>
        <details className="onboarding-import" onToggle={(e) => e.currentTarget.open && setImporting(true)}>
          <summary>Have a backup? Import it instead</summary>
          {importing && (
            <Suspense fallback={null}>
              <ImportBackup onImported={onDone} />
            </Suspense>
          )}
        </details>
        {/* After the form: on a phone the form is the first screen, the explanation is there to scroll to. */}
        <ul className="onboarding-points">
          <li>Hold as many pseudonyms as you like. Nothing you publish links them.</li>
          <li>Write while offline; your posts go out when you are back.</li>
          <li>Your timeline is the people you follow, newest first. No ranking.</li>
        </ul>
        <KeysExplainer />
      </div>
    </section>
  );
}
