/**
 * Moving to another hub in one action (PROTOCOL.md, Moving hubs): the worker copies the whole feed there, claims
 * the handle there, and leaves the old hub a signed pointer, so followers keep receiving posts by themselves.
 * Each step is named while it runs; a refusal says that nothing moved.
 */
import { type FormEvent, useId, useState } from 'react';
import type { MoveOutcome, MoveProgress, PseudonymSummary } from '../../../workers/api/api-types.ts';
import { callback } from '../../client/callback.ts';
import { useCore } from '../core/use-core.ts';
import { runAction } from '../post/run-action.ts';
import { HubAddressField } from './HubAddressField.tsx';
import { MOVE_ERRORS } from './settings-errors.ts';

/** A step of the move in words. */
export function moveStepWords(progress: MoveProgress, handle: string | undefined, to: string): string {
  switch (progress.step) {
    case 'claiming':
      return handle ? `Claiming ${handle.slice(0, handle.lastIndexOf('@'))} on ${to}…` : `Reaching ${to}…`;
    case 'copying':
      return progress.total === 0
        ? `Copying your feed to ${to}…`
        : `Copying your feed to ${to}: ${progress.done} of ${progress.total}`;
    case 'pointing':
      return 'Leaving a signed pointer to your new hub at the old one…';
  }
}

/** The outcome in words: where the feed lives now, and whether the old hub points there. */
export function moveOutcomeWords(outcome: MoveOutcome, from: string): string {
  const home = outcome.hubs[0];
  const handle = outcome.handle ? ` Your handle is now ${outcome.handle}.` : '';
  const pointer = outcome.pointerLeft
    ? ` ${from} points your followers here: they keep receiving your posts.`
    : ` ${from} could not be reached: it is left a pointer to your new hub at the first sync after it answers ` +
      'again; until then, followers who read only that hub miss new posts.';
  return `Moved to ${home}.${handle}${pointer}`;
}

export function MoveHubSection({ pseudonym }: { readonly pseudonym: PseudonymSummary }) {
  const core = useCore();
  const [address, setAddress] = useState('');
  const [note, setNote] = useState<string>();
  const [busy, setBusy] = useState(false);
  const ids = useId();
  const from = pseudonym.hubs[0] ?? '';

  async function move(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const to = address.trim();
    setBusy(true);
    setNote(`Reaching ${to}…`);
    const onProgress = callback((progress: MoveProgress) => setNote(moveStepWords(progress, pseudonym.handle, to)));
    const result = await runAction(() => core.moveHub(pseudonym.id, to, onProgress), MOVE_ERRORS);
    setBusy(false);
    if (!result.ok) return setNote(result.text);
    setAddress('');
    setNote(moveOutcomeWords(result.value, from));
  }

  return (
    <section className="settings-section card" aria-labelledby={`${ids}-title`}>
      <h2 id={`${ids}-title`}>Move to another hub</h2>
      <p className="field-hint">
        Your whole feed is copied to the new hub, your handle is claimed there, and {from} keeps a pointer signed by
        you, so the people who follow you keep receiving your posts without doing anything.
      </p>
      <form className="settings-form" onSubmit={move} aria-label="Move to another hub">
        <HubAddressField id={`${ids}-hub`} label="Make my home the hub at" value={address} onChange={setAddress} />
        <div className="settings-row">
          <button type="submit" className="button button-secondary" disabled={busy || address.trim() === ''}>
            Move
          </button>
        </div>
        <p className="field-hint" role="status" data-testid="move-hub-status">
          {note}
        </p>
      </form>
    </section>
  );
}
