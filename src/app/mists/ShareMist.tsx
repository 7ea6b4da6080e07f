/**
 * Sharing a file as a mist: picked, or dropped anywhere on the form; a title, a description and tags; public or
 * secret (sealed for whoever holds its link). The worker checks the file (its name, at most 10 MiB) and answers
 * the mist it made, or the one the same file already is; either opens.
 */
import { type DragEvent, type FormEvent, useId, useRef, useState } from 'react';
import type { PseudonymSummary } from '../../../workers/api/api-types.ts';
import { useCore } from '../core/use-core.ts';
import { mistHref } from '../nav/route.ts';
import { runAction } from '../post/run-action.ts';
import { MIST_ERRORS } from './mist-errors.ts';

const MAX_BYTES = 10 * 1024 * 1024;

export function ShareMist({ pseudonym }: { readonly pseudonym: PseudonymSummary }) {
  const core = useCore();
  const ids = useId();
  const picker = useRef<HTMLInputElement>(null);
  const [file, setFile] = useState<File>();
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [tags, setTags] = useState('');
  const [secret, setSecret] = useState(false);
  const [dragging, setDragging] = useState(false);
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string>();

  function choose(chosen: File | undefined) {
    setError(undefined);
    if (chosen && chosen.size > MAX_BYTES) {
      setError(`${chosen.name} is ${chosen.size} bytes; a mist's file may be at most 10 MiB.`);
      return;
    }
    setFile(chosen);
  }

  function drop(event: DragEvent) {
    event.preventDefault();
    setDragging(false);
    choose(event.dataTransfer.files[0]);
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!file || sending) return;
    setSending(true);
    setError(undefined);
    const bytes = new Uint8Array(await file.arrayBuffer());
    const words = tags.split(/[\s,]+/).filter(Boolean);
    const result = await runAction(
      () =>
        core.createMist(pseudonym.id, {
          name: file.name,
          bytes,
          ...(title.trim() && { title: title.trim() }),
          ...(description.trim() && { description: description.trim() }),
          ...(words.length > 0 && { tags: words }),
          secret,
        }),
      MIST_ERRORS,
    );
    setSending(false);
    if (!result.ok) return setError(result.text);
    location.hash = mistHref(result.value.author, result.value.id);
  }

  return (
    <form
      className={`share-mist${dragging ? ' share-mist-dragging' : ''}`}
      aria-labelledby={`${ids}-title`}
      onSubmit={submit}
      onDragOver={(e) => {
        e.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={drop}
      data-testid="share-mist"
    >
      <h2 id={`${ids}-title`} className="section-title">
        Share a file
      </h2>
      <div className="share-mist-file">
        <input
          ref={picker}
          id={`${ids}-file`}
          type="file"
          aria-label="File to share"
          className="visually-hidden"
          onChange={(e) => choose(e.target.files?.[0])}
        />
        <button type="button" className="button" onClick={() => picker.current?.click()}>
          Choose a file
        </button>
        <span aria-live="polite" data-testid="mist-file-chosen">
          {file ? `${file.name} (${file.size} bytes)` : 'or drop one here'}
        </span>
      </div>
      <label className="field">
        <span className="field-label">Title (optional)</span>
        <input className="input" value={title} maxLength={500} onChange={(e) => setTitle(e.target.value)} />
      </label>
      <label className="field">
        <span className="field-label">Description (optional)</span>
        <textarea
          className="input"
          rows={2}
          value={description}
          maxLength={10_000}
          onChange={(e) => setDescription(e.target.value)}
        />
      </label>
      <label className="field">
        <span className="field-label">Tags (optional, up to 10)</span>
        <input className="input" value={tags} placeholder="python, tools" onChange={(e) => setTags(e.target.value)} />
      </label>
      <label className="checkbox">
        <input type="checkbox" checked={secret} onChange={(e) => setSecret(e.target.checked)} />
        Secret: only people with its link can read it (sealed before it leaves this device, listed nowhere)
      </label>
      {error && (
        <p className="message message-error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" className="button button-primary" disabled={!file || sending}>
        {sending ? 'Sharing…' : 'Share mist'}
      </button>
    </form>
  );
}
