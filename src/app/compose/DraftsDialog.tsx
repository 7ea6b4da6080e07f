/**
 * The pseudonym's drafts (from every device it syncs with): resume one in
 * the composer, open the post a reply or quote draft answers, or delete one.
 */
import { useState } from 'react';
import type { PseudonymId } from '../../protocol/ids.ts';
import type { DraftView } from '../../../workers/private/types.ts';
import { useCore } from '../core/use-core.ts';
import { describeError } from '../core/error-text.ts';
import { useCoreQuery } from '../core/use-core-query.ts';
import { threadHref } from '../nav/route.ts';
import { runAction } from '../post/run-action.ts';
import { Modal } from '../shell/Modal.tsx';
import { formatFullTime, formatRelativeTime } from '../timeline/relative-time.ts';
import { useNow } from '../timeline/use-now.ts';

export interface DraftsDialogProps {
  readonly pseudonym: PseudonymId;
  readonly open: boolean;
  readonly onClose: () => void;
  readonly onResume: (id: string) => void;
}

function preview(draft: DraftView): string {
  const text = draft.body.trim().replace(/\s+/g, ' ');
  return text.length > 140 ? `${text.slice(0, 140)}…` : text || '(empty)';
}

export function DraftsDialog({ pseudonym, open, onClose, onResume }: DraftsDialogProps) {
  const core = useCore();
  const { data, error } = useCoreQuery(
    `drafts:${pseudonym}:${open}`,
    () => (open ? core.listDrafts(pseudonym) : Promise.resolve([])),
    (change) => change.kind === 'private' && change.pseudonym === pseudonym,
  );
  const [note, setNote] = useState<string>();
  const now = useNow();

  async function remove(draft: DraftView) {
    const result = await runAction(() => core.deleteDraft(pseudonym, draft.id));
    setNote(result.ok ? 'Draft deleted' : result.text);
  }

  return (
    <Modal open={open} title="Drafts" onClose={onClose} wide>
      {error !== undefined && (
        <p className="message message-error" role="alert">
          Could not read your drafts: {describeError('load', error)}
        </p>
      )}
      {data && data.length === 0 && (
        <p className="timeline-empty">No drafts. What you write is kept here as you type.</p>
      )}
      {data && data.length > 0 && (
        <ul className="drafts-list" aria-label="Your drafts">
          {data.map((draft) => {
            const answers = draft.replyTo ?? draft.quoteOf;
            const kind = draft.replyTo ? 'Reply' : draft.quoteOf ? 'Quote' : 'Post';
            return (
              <li key={draft.id} className="draft-item" data-testid="draft">
                <p className="draft-text">
                  <span className="draft-kind">{kind}</span> {preview(draft)}
                </p>
                <p className="draft-time">
                  <time dateTime={new Date(draft.updatedAt).toISOString()} title={formatFullTime(draft.updatedAt)}>
                    {formatRelativeTime(draft.updatedAt, now)}
                  </time>
                </p>
                <div className="draft-actions">
                  {answers ? (
                    <a className="button button-small" href={threadHref(answers)} onClick={onClose}>
                      Open the post<span className="visually-hidden"> this {kind.toLowerCase()} answers</span>
                    </a>
                  ) : (
                    <button
                      type="button"
                      className="button button-small"
                      aria-label={`Resume draft: ${preview(draft)}`}
                      onClick={() => {
                        onResume(draft.id);
                        onClose();
                      }}
                    >
                      Resume
                    </button>
                  )}
                  <button
                    type="button"
                    className="button button-small button-quiet"
                    aria-label={`Delete draft: ${preview(draft)}`}
                    onClick={() => void remove(draft)}
                  >
                    Delete
                  </button>
                </div>
              </li>
            );
          })}
        </ul>
      )}
      <p className="composer-note" role="status">
        {note}
      </p>
    </Modal>
  );
}
