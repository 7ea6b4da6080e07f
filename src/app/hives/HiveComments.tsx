/**
 * A hive post's comments as nested lists (a screen reader says how deep), each comment's body as plain text,
 * who and when, its votes, a reply form under it, and for moderators its removal; and the form that comments on
 * the post or replies to a comment.
 */
import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import type { PseudonymSummary } from '../../../workers/api/api-types.ts';
import type { HiveAddress } from '../../../workers/api/hives-types.ts';
import { HIVE_LIMITS } from '../../protocol/hives.ts';
import type { ObjectId } from '../../protocol/ids.ts';
import { useCore } from '../core/use-core.ts';
import { formatFullTime, formatRelativeTime } from '../timeline/relative-time.ts';
import { HivePerson } from './HivePerson.tsx';
import { type CommentNode, type Standing, tsOf } from './hive-view.ts';
import { RemoveButton } from './RemoveButton.tsx';
import type { HiveReader } from './use-hive.ts';
import { VoteButtons } from './VoteButtons.tsx';

interface Common {
  readonly me: PseudonymSummary;
  readonly at: HiveAddress;
  readonly standing: Standing;
  readonly reader: HiveReader;
}

export function CommentTree({ nodes, depth, ...common }: Common & { nodes: readonly CommentNode[]; depth: number }) {
  if (nodes.length === 0)
    return depth === 1 ? (
      <p className="field-hint" data-testid="no-comments">
        No comments yet.
      </p>
    ) : null;
  return (
    <ol className="hive-comments" aria-label={depth === 1 ? 'Comments' : 'Replies'}>
      {nodes.map((node) => (
        <li key={node.comment.id}>
          <Comment node={node} depth={depth} {...common} />
        </li>
      ))}
    </ol>
  );
}

function Comment({ node, depth, ...common }: Common & { node: CommentNode; depth: number }) {
  const { me, at, standing, reader } = common;
  const [replying, setReplying] = useState(false);
  const { comment } = node;
  const ts = tsOf(comment);
  return (
    <>
      <article className="hive-comment" aria-label={`Comment at depth ${depth}`} data-testid="hive-comment">
        <p className="hive-meta">
          <HivePerson me={me} id={comment.author} />
          {' · '}
          <time dateTime={new Date(ts).toISOString()} title={formatFullTime(ts)}>
            {formatRelativeTime(ts, Date.now())}
          </time>
        </p>
        <p className="hive-text" data-testid="comment-body">
          {comment.object.body}
        </p>
        <div className="hive-row">
          <VoteButtons me={me} at={at} target={comment.id} votes={comment.votes} what="comment" reader={reader} />
          <button
            type="button"
            className="button button-small button-quiet"
            aria-expanded={replying}
            onClick={() => setReplying(!replying)}
          >
            Reply
          </button>
          {standing.moderates && <RemoveButton me={me} at={at} target={comment.id} what="comment" reader={reader} />}
        </div>
        {replying && (
          <CommentForm {...common} post={comment.object.post} parent={comment.id} onSent={() => setReplying(false)} />
        )}
      </article>
      <CommentTree nodes={node.replies} depth={depth + 1} {...common} />
    </>
  );
}

export function CommentForm({
  me,
  at,
  post,
  parent,
  standing,
  reader,
  onSent,
}: Common & { readonly post: ObjectId; readonly parent?: ObjectId; readonly onSent?: () => void }) {
  const core = useCore();
  const ids = useId();
  const [body, setBody] = useState('');
  const [sending, setSending] = useState(false);
  const [note, setNote] = useState<{ text: string; error: boolean }>();
  const heard = standing.admitted;
  const field = useRef<HTMLTextAreaElement>(null);
  // A reply form opens where it was asked for: the cursor goes there.
  useEffect(() => {
    if (parent) field.current?.focus();
  }, [parent]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const text = body.trim();
    if (!text || sending) return;
    setSending(true);
    setNote(undefined);
    const result = await reader.act(
      parent ? 'your reply' : 'your comment',
      () => core.commentInHive(me.id, at, { post, ...(parent && { parent }), body: text }),
      heard ? (s, acted) => s.comments.some((c) => c.id === acted.id) : undefined,
    );
    setSending(false);
    if (!result.ok) return setNote({ text: result.text, error: true });
    setBody('');
    if (heard) onSent?.();
    setNote({ text: heard ? 'Sent.' : 'Sent, and shown to nobody while you are not a member.', error: false });
  }

  const label = parent ? 'Post reply' : 'Post comment';
  return (
    <form className="hive-form-plain hive-comment-form" onSubmit={submit}>
      <div className="field">
        <label className="field-label" htmlFor={`${ids}-body`}>
          {parent ? 'Your reply' : 'Your comment'}
        </label>
        <textarea
          ref={field}
          id={`${ids}-body`}
          className="input"
          rows={parent ? 2 : 3}
          value={body}
          maxLength={HIVE_LIMITS.bodyChars}
          onChange={(e) => setBody(e.target.value)}
        />
      </div>
      {note && (
        <p className={`message${note.error ? ' message-error' : ''}`} role={note.error ? 'alert' : 'status'}>
          {note.text}
        </p>
      )}
      <button type="submit" className="button button-primary button-small" disabled={sending || !body.trim()}>
        {sending ? 'Sending…' : label}
      </button>
    </form>
  );
}
