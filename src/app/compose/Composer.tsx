/**
 * Write a post (or a reply, or a quote): a local signed commit at once,
 * pushed when the hub is reachable. Live character count, #tags from the
 * text or the tags field, up to four images resized on the device, and
 * Ctrl/Cmd+Enter to send. The draft is kept as you type in the pseudonym's
 * private state (use-draft.ts); the home composer lists drafts to resume.
 * Who can read it is one control (AudiencePicker.tsx): public, people named, or anyone with the link.
 */
import { type ChangeEvent, type FormEvent, type KeyboardEvent, Suspense, lazy, useId, useRef, useState } from 'react';
import type { AudienceChoice, MediaInput, PostOptions, PseudonymSummary } from '../../../workers/api/api-types.ts';
import { LIMITS } from '../../protocol/limits.ts';
import { useCore } from '../core/use-core.ts';
import { describeError } from '../core/error-text.ts';
import { Avatar } from '../identity/Avatar.tsx';
import { pseudonymLabel } from '../identity/pseudonym-label.ts';
import type { ComposeTarget } from '../post/post-env.ts';
import { runAction } from '../post/run-action.ts';
import { PostedNote } from '../sync/PostedNote.tsx';
import { Icon } from '../shell/Icon.tsx';
import { useTransientNote } from '../shell/use-transient-note.ts';
import { AudiencePicker, type AudienceValue } from './AudiencePicker.tsx';
import { countCodePoints } from './code-points.ts';
import { parseTags } from './parse-tags.ts';
import { useDraft } from './use-draft.ts';

// Loaded when first used: nothing on the first screen needs them (images: once one is chosen).
const DraftsDialog = lazy(() => import('./DraftsDialog.tsx').then((m) => ({ default: m.DraftsDialog })));
const AttachedImages = lazy(() => import('./AttachedImages.tsx').then((m) => ({ default: m.AttachedImages })));

export interface ComposerProps {
  readonly pseudonym: PseudonymSummary;
  readonly target?: ComposeTarget;
  readonly onPosted?: () => void;
  readonly autoFocus?: boolean;
}

const LIMIT = LIMITS.postBodyChars;
const SHORTCUT = /Mac|iPhone|iPad/.test(navigator.userAgent) ? '⌘+Enter' : 'Ctrl+Enter';

export function Composer({ pseudonym, target, onPosted, autoFocus }: ComposerProps) {
  const core = useCore();
  const draft = useDraft(pseudonym.id, target);
  const body = draft.text;
  const setBody = draft.setText;
  const [drafts, setDrafts] = useState(false);
  const [tagField, setTagField] = useState('');
  const [media, setMedia] = useState<MediaInput[]>([]);
  const [audience, setAudience] = useState<AudienceValue>({ kind: 'public', readers: [] });
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string>();
  const [note, setNote] = useTransientNote();
  // After a post the note follows the sync state (PostedNote): "Posted" once nothing waits, else where it waits;
  // once it says "Posted" it steps aside like any passing note.
  const [posted, setPosted] = useState(false);
  const files = useRef<HTMLInputElement>(null);
  const ids = useId();
  const count = countCodePoints(body);
  const over = count > LIMIT;
  const canSend = (body.trim() !== '' || media.length > 0) && !over && !sending;
  const tags = parseTags(body, tagField);

  async function send() {
    if (!canSend) return;
    setSending(true);
    setError(undefined);
    const options: PostOptions = {
      ...(target?.kind === 'reply' && { replyTo: target.item.id }),
      ...(target?.kind === 'quote' && { quoteOf: target.item.id }),
      ...(tags.length > 0 && { tags }),
      ...(media.length > 0 && { media }),
      ...(audience.kind !== 'public' && { audience: choiceOf(audience) }),
    };
    const plain = Object.keys(options).length === 0;
    const result = await runAction(
      () => (plain ? core.post(pseudonym.id, body) : core.post(pseudonym.id, body, options)),
      'post',
    );
    setSending(false);
    if (result.ok) {
      setBody('');
      setTagField('');
      setMedia([]);
      setNote(undefined);
      setPosted(true);
      if (audience.kind === 'link') setNote('Posted for anyone with its link: copy the link from the post');
      onPosted?.();
    } else setError(result.text);
  }

  async function attach(event: ChangeEvent<HTMLInputElement>) {
    const chosen = [...(event.target.files ?? [])];
    event.target.value = '';
    const room = LIMITS.mediaPerPost - media.length;
    if (chosen.length > room) setError(`At most ${LIMITS.mediaPerPost} images per post`);
    setPosted(false);
    setNote('Preparing images…', true);
    try {
      const { resizeImage } = await import('./resize-image.ts');
      const resized = await Promise.all(chosen.slice(0, room).map((f) => resizeImage(f)));
      setMedia((m) => [...m, ...resized]);
      setNote(`${resized.length} image${resized.length === 1 ? '' : 's'} attached`);
    } catch (thrown) {
      setNote(undefined);
      setError(`That image could not be read: ${describeError('post', thrown)}`);
    }
  }

  function keyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      void send();
    }
  }

  const near = count > LIMIT - 200;
  const label = target?.kind === 'reply' ? 'Reply text' : target?.kind === 'quote' ? 'Quote text' : 'New post';
  return (
    <form
      className="composer card"
      onSubmit={(e: FormEvent) => {
        e.preventDefault();
        void send();
      }}
      aria-label={
        target?.kind === 'reply' ? 'Write a reply' : target?.kind === 'quote' ? 'Write a quote' : 'Write a post'
      }
    >
      <Avatar id={pseudonym.id} label={pseudonymLabel(pseudonym)} />
      <div className="composer-body">
        <textarea
          className="textarea composer-input"
          aria-label={label}
          placeholder={target?.kind === 'reply' ? 'Write your reply' : 'What is on your mind?'}
          rows={3}
          value={body}
          readOnly={!draft.loaded}
          // Only where the writer just asked to write (New post, Reply, Quote): focus goes where they will type.
          // biome-ignore lint/a11y/noAutofocus: set only by an explicit request to write (see above)
          autoFocus={autoFocus}
          data-autofocus={autoFocus ? true : undefined}
          onChange={(e) => setBody(e.target.value)}
          onKeyDown={keyDown}
          aria-invalid={over ? true : undefined}
          aria-describedby={`${ids}-count ${ids}-keys`}
        />
        {media.length > 0 && (
          <Suspense fallback={null}>
            <AttachedImages media={media} onRemove={(i) => setMedia((m) => m.filter((_, j) => j !== i))} />
          </Suspense>
        )}
        <div className="composer-extra">
          <label className="visually-hidden" htmlFor={`${ids}-tags`}>
            Tags
          </label>
          <input
            id={`${ids}-tags`}
            className="input input-small"
            placeholder="Tags, e.g. music, rust"
            value={tagField}
            onChange={(e) => setTagField(e.target.value)}
          />
          {tags.length > 0 && (
            <p className="composer-tags" data-testid="composer-tags">
              {tags.map((t) => `#${t}`).join(' ')}
            </p>
          )}
        </div>
        <AudiencePicker
          pseudonym={pseudonym.id}
          value={audience}
          onChange={setAudience}
          answersSealed={target?.item.audience !== undefined}
        />
        <div className="composer-footer">
          <button
            type="button"
            className="button button-quiet button-icon"
            aria-label="Attach images"
            title="Attach images"
            onClick={() => files.current?.click()}
            disabled={media.length >= LIMITS.mediaPerPost}
          >
            <Icon name="image" />
          </button>
          <input
            ref={files}
            type="file"
            accept="image/*"
            multiple
            hidden
            onChange={(e) => void attach(e)}
            aria-label="Image files"
            data-testid="image-input"
          />
          {!target && (
            <button type="button" className="button button-secondary button-small" onClick={() => setDrafts(true)}>
              Drafts
            </button>
          )}
          {!target && body.trim() !== '' && (
            <button
              type="button"
              className="button button-secondary button-small"
              onClick={() =>
                void draft.putAside().then(() => {
                  setPosted(false);
                  setNote('Draft saved; find it under Drafts');
                })
              }
            >
              Save draft
            </button>
          )}
          <p
            id={`${ids}-count`}
            className={`composer-count${over ? ' is-over' : near ? ' is-near' : ''}`}
            data-testid="char-count"
          >
            <span className="visually-hidden">Characters: </span>
            {count.toLocaleString()} / {LIMIT.toLocaleString()}
            {over && <span> · {(count - LIMIT).toLocaleString()} over the limit</span>}
          </p>
          <button type="submit" className="button button-primary" disabled={!canSend}>
            {sending && <span className="spinner" aria-hidden="true" />}
            {target?.kind === 'reply' ? 'Send reply' : 'Post'}
          </button>
        </div>
        {/* The shortcut's hint under the Post button, beside the note: the footer row keeps room for the count. */}
        <div className="composer-under">
          <p className="composer-note" role="status">
            {note ?? (posted && <PostedNote pseudonym={pseudonym.id} onSettled={() => setPosted(false)} />)}
          </p>
          <p id={`${ids}-keys`} className="composer-keys">
            {SHORTCUT} to post
          </p>
        </div>
        <div className="message message-error" role="alert">
          {error ?? draft.error}
        </div>
        {!target && drafts && (
          <Suspense fallback={null}>
            <DraftsDialog pseudonym={pseudonym.id} open onClose={() => setDrafts(false)} onResume={draft.resume} />
          </Suspense>
        )}
      </div>
    </form>
  );
}

function choiceOf(value: AudienceValue): AudienceChoice {
  return value.kind === 'allowlist' ? { kind: 'allowlist', readers: [...value.readers] } : { kind: value.kind };
}
