/** Confirm before deleting: the post is withdrawn on every hub that honours the signed delete. */
import { useState } from 'react';
import type { TimelineItem } from '../../../workers/api/api-types.ts';
import { useCore } from '../core/use-core.ts';
import { Modal } from '../shell/Modal.tsx';
import { usePostEnv } from './post-env.ts';
import { runAction } from './run-action.ts';

export function DeleteDialog({
  item,
  open,
  onClose,
}: {
  readonly item: TimelineItem;
  readonly open: boolean;
  readonly onClose: () => void;
}) {
  const core = useCore();
  const { viewer } = usePostEnv();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  async function confirm() {
    setBusy(true);
    const result = await runAction(() => core.deletePost(viewer, item.id));
    setBusy(false);
    if (result.ok) onClose();
    else setError(result.text);
  }

  return (
    <Modal open={open} title="Delete this post?" onClose={onClose}>
      <p className="dialog-text">
        A signed delete goes to your hubs and followers. Copies others already saved may remain.
      </p>
      <div className="message message-error" role="alert">
        {error}
      </div>
      <div className="dialog-actions">
        <button type="button" className="button button-quiet" onClick={onClose}>
          Keep it
        </button>
        <button type="button" className="button button-danger" disabled={busy} onClick={() => void confirm()}>
          Delete
        </button>
      </div>
    </Modal>
  );
}
