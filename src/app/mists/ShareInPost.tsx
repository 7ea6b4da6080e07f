/** A post sharing a mist: the viewer's words, with the mist's link, which every reader's app shows as a card. */
import { useState } from 'react';
import type { PseudonymSummary } from '../../../workers/api/api-types.ts';
import type { MistDetail } from '../../../workers/api/mists-types.ts';
import { useCore } from '../core/use-core.ts';
import { mistHref } from '../nav/route.ts';
import { runAction } from '../post/run-action.ts';

export function ShareInPost({
  pseudonym,
  detail,
  onPosted,
}: {
  readonly pseudonym: PseudonymSummary;
  readonly detail: MistDetail;
  readonly onPosted: () => void;
}) {
  const core = useCore();
  const { view } = detail;
  const link = new URL(mistHref(view.author, view.id), pseudonym.hubs[0] ?? location.href).href;
  const [body, setBody] = useState(`${view.title ?? view.name}\n${link}`);
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string>();

  async function send() {
    setSending(true);
    const result = await runAction(() => core.post(pseudonym.id, body));
    setSending(false);
    if (result.ok) onPosted();
    else setError(result.text);
  }

  return (
    <div className="share-in-post">
      <label className="field">
        <span className="field-label">Your post</span>
        <textarea className="input" rows={4} value={body} onChange={(e) => setBody(e.target.value)} />
      </label>
      {!body.includes(link) && <p className="field-hint">Keep the mist's link in the post to show it as a card.</p>}
      {error && (
        <p className="message message-error" role="alert">
          {error}
        </p>
      )}
      <button type="button" className="button button-primary" disabled={sending || !body.trim()} onClick={send}>
        {sending ? 'Posting…' : 'Post'}
      </button>
    </div>
  );
}
