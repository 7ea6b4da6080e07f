/**
 * What the viewer may do with an opened mist: fork someone else's public mist (a mist of their own naming it as
 * its parent), share it in a post (the post links it, and shows it as a card), copy an embed code (public mists:
 * hubs serve `/m/<author>/<id>/embed`); for its author, copy a secret mist's link, share a new version, delete.
 */
import { useId, useRef, useState } from 'react';
import type { PseudonymSummary, Result } from '../../../workers/api/api-types.ts';
import type { MistDetail } from '../../../workers/api/mists-types.ts';
import { useCore } from '../core/use-core.ts';
import { mistHref, routeHref } from '../nav/route.ts';
import { runAction } from '../post/run-action.ts';
import { Modal } from '../shell/Modal.tsx';
import { ShareInPost } from './ShareInPost.tsx';
import { MIST_ERRORS } from './mist-errors.ts';

/** The embed codes of a public mist on `hub`: an iframe, and a script that puts the same iframe where it stands. */
export function embedCodes(hub: string, author: string, id: string, title: string) {
  const src = `${hub}/m/${author}/${id}/embed`;
  const safeTitle = title.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  return {
    iframe:
      `<iframe src="${src}" title="${safeTitle}" width="100%" height="420" style="border:0" ` +
      'loading="lazy"></iframe>',
    script: `<script src="${hub}/m/${author}/${id}/embed.js" async></script>`,
  };
}

export function MistActions({
  pseudonym,
  detail,
  onNote,
}: {
  readonly pseudonym: PseudonymSummary;
  readonly detail: MistDetail;
  readonly onNote: (note: string) => void;
}) {
  const core = useCore();
  const ids = useId();
  const { view } = detail;
  const home = pseudonym.hubs[0];
  const [busy, setBusy] = useState(false);
  const [sharing, setSharing] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const picker = useRef<HTMLInputElement>(null);

  async function act<T>(call: () => Promise<Result<T>>) {
    setBusy(true);
    const result = await runAction(call, MIST_ERRORS);
    setBusy(false);
    if (!result.ok) onNote(result.text);
    return result;
  }

  async function fork() {
    const result = await act(() => core.forkMist(pseudonym.id, view.author, view.id));
    if (result.ok) location.hash = mistHref(result.value.author, result.value.id);
  }

  async function newVersion(file: File | undefined) {
    if (!file) return;
    const bytes = new Uint8Array(await file.arrayBuffer());
    const result = await act(() => core.updateMist(pseudonym.id, view.id, { file: { name: file.name, bytes } }));
    if (result.ok) onNote(`Version ${detail.history.length + 1} shared.`);
  }

  async function remove() {
    const result = await act(() => core.deleteMist(pseudonym.id, view.id));
    setDeleting(false);
    if (result.ok) location.hash = routeHref({ name: 'mists', scope: 'mine' });
  }

  async function copy(text: string, what: string) {
    try {
      await navigator.clipboard.writeText(text);
      onNote(`${what} copied.`);
    } catch {
      onNote(`Copy it from the box: the browser would not.`);
    }
  }

  const codes = home && !view.secret ? embedCodes(home, view.author, view.id, view.title ?? view.name) : undefined;
  return (
    <div className="mist-actions">
      <div className="mist-action-row">
        {!detail.mine && !view.secret && (
          <button type="button" className="button button-primary" disabled={busy} onClick={fork}>
            Fork
          </button>
        )}
        {!view.secret && (
          <button type="button" className="button" onClick={() => setSharing(true)}>
            Share in a post
          </button>
        )}
        {detail.mine && (
          <>
            <input
              ref={picker}
              type="file"
              className="visually-hidden"
              aria-label="New version's file"
              onChange={(e) => void newVersion(e.target.files?.[0])}
            />
            <button type="button" className="button" disabled={busy} onClick={() => picker.current?.click()}>
              New version
            </button>
            <button type="button" className="button button-danger" disabled={busy} onClick={() => setDeleting(true)}>
              Delete
            </button>
          </>
        )}
      </div>
      {detail.link && (
        <div className="field">
          <label className="field-label" htmlFor={`${ids}-link`}>
            Secret link: whoever holds it can read this mist
          </label>
          <div className="mist-copy">
            <input id={`${ids}-link`} className="input" readOnly value={detail.link} data-testid="mist-link" />
            <button type="button" className="button" onClick={() => copy(detail.link!, 'Link')}>
              Copy
            </button>
          </div>
        </div>
      )}
      {codes && (
        <details className="mist-embed">
          <summary>Embed</summary>
          {(['iframe', 'script'] as const).map((kind) => (
            <div className="field" key={kind}>
              <label className="field-label" htmlFor={`${ids}-${kind}`}>
                {kind === 'iframe' ? 'As an iframe' : 'As a script'}
              </label>
              <div className="mist-copy">
                <textarea id={`${ids}-${kind}`} className="input" readOnly rows={2} value={codes[kind]} />
                <button type="button" className="button" onClick={() => copy(codes[kind], 'Embed code')}>
                  Copy
                </button>
              </div>
            </div>
          ))}
        </details>
      )}
      <Modal open={sharing} title="Share in a post" onClose={() => setSharing(false)} wide>
        {sharing && (
          <ShareInPost
            pseudonym={pseudonym}
            detail={detail}
            onPosted={() => {
              setSharing(false);
              onNote('Posted.');
            }}
          />
        )}
      </Modal>
      <Modal open={deleting} title="Delete this mist?" onClose={() => setDeleting(false)}>
        <p>Its versions stay in your signed feed's history, but no one is shown it any more, here or elsewhere.</p>
        <div className="mist-action-row">
          <button type="button" className="button button-danger" disabled={busy} onClick={remove}>
            Delete mist
          </button>
          <button type="button" className="button" onClick={() => setDeleting(false)}>
            Keep it
          </button>
        </div>
      </Modal>
    </div>
  );
}
