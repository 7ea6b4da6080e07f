/** Edit one of your posts: a new version is signed; every version stays visible in the history. */
import { type FormEvent, useState } from 'react';
import type { TimelineItem } from '../../../workers/api/api-types.ts';
import { LIMITS } from '../../protocol/limits.ts';
import { useCore } from '../core/use-core.ts';
import { countCodePoints } from '../compose/code-points.ts';
import { Modal } from '../shell/Modal.tsx';
import { usePostEnv } from './post-env.ts';
import { runAction } from './run-action.ts';

export interface EditDialogProps {
  readonly item: TimelineItem;
  readonly open: boolean;
  readonly onClose: () => void;
}

export function EditDialog({ item, open, onClose }: EditDialogProps) {
  const core = useCore();
  const { viewer } = usePostEnv();
  const [body, setBody] = useState(item.body);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const count = countCodePoints(body);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setBusy(true);
    const result = await runAction(() => core.edit(viewer, item.id, body));
    setBusy(false);
    if (result.ok) onClose();
    else setError(result.text);
  }

  return (
    <Modal open={open} title="Edit post" onClose={onClose}>
      <form className="dialog-form" onSubmit={submit}>
        <textarea
          className="textarea"
          aria-label="Edited post"
          data-autofocus
          rows={5}
          value={body}
          onChange={(e) => setBody(e.target.value)}
        />
        <p className="field-hint">
          {count} / {LIMITS.postBodyChars}. Earlier versions stay in the post&apos;s history.
        </p>
        <div className="message message-error" role="alert">
          {error}
        </div>
        <div className="dialog-actions">
          <button type="button" className="button button-quiet" onClick={onClose}>
            Cancel
          </button>
          <button
            type="submit"
            className="button button-primary"
            disabled={busy || body.trim() === '' || body === item.body || count > LIMITS.postBodyChars}
          >
            Save edit
          </button>
        </div>
      </form>
    </Modal>
  );
}
