/** Every version of an edited post, oldest first (getEditHistory). */
import { useEffect, useState } from 'react';
import type { EditVersion, TimelineItem } from '../../../workers/api/api-types.ts';
import { useCore } from '../core/use-core.ts';
import { describeError } from '../core/error-text.ts';
import { Markdown } from '../markdown/Markdown.tsx';
import { Modal } from '../shell/Modal.tsx';
import { formatFullTime } from '../timeline/relative-time.ts';
import { usePostEnv } from './post-env.ts';

export function HistoryDialog({
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
  const [versions, setVersions] = useState<EditVersion[]>();
  const [error, setError] = useState<string>();
  // An edit that arrives while the dialog is open changes item.body: the history is then asked again.
  // biome-ignore lint/correctness/useExhaustiveDependencies: item.body is the trigger for asking again (see above)
  useEffect(() => {
    if (!open) return;
    let live = true;
    core.getEditHistory(viewer, item.id).then(
      (v) => live && setVersions(v),
      (thrown: unknown) => live && setError(describeError('load', thrown)),
    );
    return () => {
      live = false;
    };
  }, [core, open, viewer, item.id, item.body]);

  return (
    <Modal open={open} title="Edit history" onClose={onClose}>
      {error && (
        <p className="message message-error" role="alert">
          Could not read the history: {error}
        </p>
      )}
      {!versions && !error && <p>Loading…</p>}
      {versions && (
        <ol className="history-list" aria-label="Versions, oldest first">
          {versions.map((v, i) => (
            <li key={v.id} className="history-item" data-testid="history-version">
              <p className="history-meta">
                {i === 0 ? 'Original' : `Edit ${i}`} ·{' '}
                <time dateTime={new Date(v.ts).toISOString()}>{formatFullTime(v.ts)}</time>
              </p>
              <Markdown source={v.body} className="post-body" />
            </li>
          ))}
        </ol>
      )}
    </Modal>
  );
}
