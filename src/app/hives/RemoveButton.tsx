/**
 * A moderator's removal of a post or comment, with an optional public reason: it hides the submission (and a
 * post's comments, a comment's replies) for every reader, and stands in the hive's log with who, when and why.
 */
import { type FormEvent, useState } from 'react';
import type { PseudonymSummary } from '../../../workers/api/api-types.ts';
import type { HiveAddress } from '../../../workers/api/hives-types.ts';
import { HIVE_LIMITS } from '../../protocol/hives.ts';
import type { ObjectId } from '../../protocol/ids.ts';
import { useCore } from '../core/use-core.ts';
import { Modal } from '../shell/Modal.tsx';
import type { HiveReader } from './use-hive.ts';

export function RemoveButton({
  me,
  at,
  target,
  what,
  reader,
}: {
  readonly me: PseudonymSummary;
  readonly at: HiveAddress;
  readonly target: ObjectId;
  /** "post", "comment". */
  readonly what: 'post' | 'comment';
  readonly reader: HiveReader;
}) {
  const core = useCore();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  async function remove(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    const why = reason.trim();
    const result = await reader.act(
      `the removal of a ${what}`,
      () => core.moderateHive(me.id, at, { kind: 'remove', target, ...(why && { reason: why }) }),
      (s) => ![...s.posts, ...s.comments].some((x) => x.id === target),
    );
    setBusy(false);
    if (!result.ok) return setError(result.text);
    setOpen(false);
  }

  return (
    <>
      <button type="button" className="button button-small button-quiet" onClick={() => setOpen(true)}>
        Remove {what}
      </button>
      <Modal open={open} title={`Remove this ${what}?`} onClose={() => setOpen(false)}>
        {open && (
          <form className="hive-form-plain" onSubmit={remove}>
            <p>It is hidden for everyone{what === 'post' ? ', with its comments' : ', with its replies'}.</p>
            <label className="field">
              <span className="field-label">Reason (public, optional)</span>
              <input
                className="input"
                value={reason}
                maxLength={HIVE_LIMITS.reasonChars}
                data-autofocus
                onChange={(e) => setReason(e.target.value.replace(/[\r\n]/g, ' '))}
              />
            </label>
            {error && (
              <p className="message message-error" role="alert">
                {error}
              </p>
            )}
            <div className="hive-row">
              <button type="submit" className="button button-danger" disabled={busy}>
                {busy ? 'Removing…' : `Remove ${what}`}
              </button>
              <button type="button" className="button" onClick={() => setOpen(false)}>
                Keep it
              </button>
            </div>
          </form>
        )}
      </Modal>
    </>
  );
}
