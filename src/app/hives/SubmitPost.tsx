/**
 * Submitting a post to a hive: a title, and a body, a link or both (HIVE_LIMITS). It is a commit of the viewer's
 * own feed announced on the hive's board; it shows once read back, and only while its author is a member: the
 * form says so to one who is not (yet), or is banned.
 */
import { type FormEvent, useId, useState } from 'react';
import type { PseudonymSummary } from '../../../workers/api/api-types.ts';
import type { HiveAddress } from '../../../workers/api/hives-types.ts';
import { HIVE_LIMITS } from '../../protocol/hives.ts';
import { useCore } from '../core/use-core.ts';
import { safeHref } from '../markdown/parse-markdown.ts';
import type { Standing } from './hive-view.ts';
import type { HiveReader } from './use-hive.ts';

function unheard(standing: Standing): string | undefined {
  if (standing.banned) return 'You are banned from this hive: what you post here is shown to nobody.';
  if (standing.waiting) return 'Your posts show once the owner or a moderator approves you.';
  if (!standing.admitted) return 'You are not a member: what you post shows to nobody unless you join.';
  return undefined;
}

export function SubmitPost({
  me,
  at,
  standing,
  reader,
}: {
  readonly me: PseudonymSummary;
  readonly at: HiveAddress;
  readonly standing: Standing;
  readonly reader: HiveReader;
}) {
  const core = useCore();
  const ids = useId();
  const [title, setTitle] = useState('');
  const [body, setBody] = useState('');
  const [link, setLink] = useState('');
  const [sending, setSending] = useState(false);
  const [note, setNote] = useState<{ text: string; error: boolean }>();
  const warning = unheard(standing);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const post = { title: title.trim(), body: body.trim() || undefined, link: link.trim() || undefined };
    if (!post.title || sending) return;
    if (!post.body && !post.link) return setNote({ text: 'Add a body, a link or both.', error: true });
    if (post.link && (!safeHref(post.link) || /\s/.test(post.link)))
      return setNote({ text: 'A link starts with http:// or https:// and has no spaces.', error: true });
    setSending(true);
    setNote(undefined);
    const result = await reader.act(
      'your post',
      () => core.postToHive(me.id, at, post),
      warning ? undefined : (s, acted) => s.posts.some((p) => p.id === acted.id),
    );
    setSending(false);
    if (!result.ok) return setNote({ text: result.text, error: true });
    setTitle('');
    setBody('');
    setLink('');
    setNote({ text: warning ? 'Sent, and shown to nobody while you are not a member.' : 'Sent.', error: false });
  }

  return (
    <form className="hive-form" onSubmit={submit} aria-labelledby={`${ids}-title`} data-testid="submit-post">
      <h2 id={`${ids}-title`} className="section-title">
        Submit a post
      </h2>
      {warning && <p className="message message-info">{warning}</p>}
      <label className="field">
        <span className="field-label">Title</span>
        <input
          className="input"
          value={title}
          maxLength={HIVE_LIMITS.titleChars}
          required
          onChange={(e) => setTitle(e.target.value.replace(/[\r\n]/g, ' '))}
        />
      </label>
      <label className="field">
        <span className="field-label">Body (optional with a link)</span>
        <textarea
          className="input"
          rows={3}
          value={body}
          maxLength={HIVE_LIMITS.bodyChars}
          onChange={(e) => setBody(e.target.value)}
        />
      </label>
      <label className="field">
        <span className="field-label">Link (optional with a body)</span>
        <input
          className="input"
          inputMode="url"
          value={link}
          maxLength={HIVE_LIMITS.linkChars}
          placeholder="https://"
          onChange={(e) => setLink(e.target.value)}
        />
      </label>
      {note && (
        <p className={`message${note.error ? ' message-error' : ''}`} role={note.error ? 'alert' : 'status'}>
          {note.text}
        </p>
      )}
      <button type="submit" className="button button-primary" disabled={sending || title.trim() === ''}>
        {sending ? 'Sending…' : 'Post to hive'}
      </button>
    </form>
  );
}
