/**
 * The composer's draft, kept in the pseudonym's private state in the worker
 * (so it syncs, sealed, to the pseudonym's other devices). Every change is
 * written through at once: a saveDraft message is sent before the next
 * render, so nothing typed is lost when the composer unmounts (switching
 * pseudonym right after typing). Reply and quote drafts are named after
 * their post; the home composer remembers, on this device only, which draft
 * it was writing, and any draft can be resumed from the drafts list.
 *
 * Another device's edits arrive as 'private' notices: the text is read
 * again only while none of our own saves is in flight, so a stale read never
 * overwrites newer typing.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { DraftInput } from '../../../workers/private/types.ts';
import type { ObjectId, PseudonymId } from '../../protocol/ids.ts';
import { useCore } from '../core/use-core.ts';
import { describeError, describeFailure } from '../core/error-text.ts';
import { useCoreChange } from '../core/use-core-change.ts';
import type { ComposeTarget } from '../post/post-env.ts';

const CURRENT = 'murmur.draft.current.';
/** Where drafts lived before private state (read once, then removed). */
const LEGACY = 'murmur.draft.';

export interface DraftState {
  readonly text: string;
  /** False until the draft has been read from the worker (the composer is read-only until then). */
  readonly loaded: boolean;
  readonly setText: (text: string) => void;
  /** Continue writing another draft in this composer. */
  readonly resume: (id: string) => void;
  /** Keep the draft (it is already saved) and empty the composer for a new one. */
  readonly putAside: () => Promise<void>;
  /** Why the last save failed, in words. */
  readonly error?: string;
}

function stored(key: string): string | undefined {
  try {
    return localStorage.getItem(key) ?? undefined;
  } catch {
    return undefined; // storage refused (private mode): no remembered draft, nothing lost
  }
}

function store(key: string, value: string | undefined): void {
  try {
    if (value === undefined) localStorage.removeItem(key);
    else localStorage.setItem(key, value);
  } catch (error) {
    console.warn('murmur: could not remember which draft was open', error);
  }
}

function randomId(): string {
  const hex = Array.from(crypto.getRandomValues(new Uint8Array(8)), (b) => b.toString(16).padStart(2, '0'));
  return `home-${hex.join('')}`;
}

export function useDraft(pseudonym: PseudonymId, target?: ComposeTarget): DraftState {
  const core = useCore();
  const fixedId = target ? `${target.kind}:${target.item.id}` : undefined;
  const [state, setState] = useState<{ text: string; loaded: boolean; error?: string }>({ text: '', loaded: false });
  const pending = useRef(0);
  const lastSave = useRef<Promise<unknown>>(Promise.resolve());
  const idRef = useRef<string | undefined>(undefined);
  const textRef = useRef('');
  const link: Pick<DraftInput, 'replyTo' | 'quoteOf'> =
    target?.kind === 'reply'
      ? { replyTo: target.item.id as ObjectId }
      : target?.kind === 'quote'
        ? { quoteOf: target.item.id as ObjectId }
        : {};
  const linkRef = useRef(link);
  linkRef.current = link;

  const load = useCallback(
    async (id: string | undefined, migrate: boolean) => {
      const drafts = await core.listDrafts(pseudonym);
      let text = id ? (drafts.find((d) => d.id === id)?.body ?? '') : '';
      if (migrate && !text) {
        const legacyKey = `${LEGACY}${pseudonym}.${target ? `${target.kind}.${target.item.id}` : 'home'}`;
        const legacy = stored(legacyKey);
        if (legacy) {
          id ??= randomId();
          text = legacy;
          await core.saveDraft(pseudonym, { id, body: legacy, ...linkRef.current });
          store(legacyKey, undefined);
        }
      }
      return { id, text };
    },
    [core, pseudonym, target],
  );

  const apply = useCallback((id: string | undefined, text: string) => {
    idRef.current = id;
    textRef.current = text;
    setState({ text, loaded: true });
  }, []);

  useEffect(() => {
    let live = true;
    const id = fixedId ?? stored(CURRENT + pseudonym);
    load(id, true).then(
      (found) => live && apply(found.id, found.text),
      (error: unknown) => {
        console.error('murmur: could not read the draft', error);
        if (live) apply(id, '');
      },
    );
    return () => {
      live = false;
    };
  }, [pseudonym, fixedId, load, apply]);

  // Another device (or tab) changed drafts: take its text when none of ours is on the way.
  useCoreChange((change) => {
    if (
      change.kind !== 'private' ||
      change.pseudonym !== pseudonym ||
      pending.current > 0 ||
      idRef.current === undefined
    )
      return;
    const asked = textRef.current;
    void load(idRef.current, false).then(
      (found) => {
        if (pending.current === 0 && textRef.current === asked && found.id === idRef.current && found.text !== asked)
          apply(found.id, found.text);
      },
      (error: unknown) => console.error('murmur: could not read the draft', error),
    );
  });

  const setText = useCallback(
    (text: string) => {
      let id = idRef.current;
      if (id === undefined && text !== '') {
        id = fixedId ?? randomId();
        if (!fixedId) store(CURRENT + pseudonym, id);
      }
      idRef.current = id;
      textRef.current = text;
      setState((s) => ({ ...s, text }));
      if (id === undefined) return;
      pending.current++;
      const saved =
        text === ''
          ? core.deleteDraft(pseudonym, id)
          : core.saveDraft(pseudonym, { id, body: text, ...linkRef.current });
      if (text === '' && !fixedId) {
        // An emptied (or published) home draft is finished: the next words start a new one.
        store(CURRENT + pseudonym, undefined);
        idRef.current = undefined;
      }
      lastSave.current = saved.catch(() => undefined);
      saved
        .then(
          (result) =>
            setState((s) => ({
              ...s,
              error: result.ok
                ? undefined
                : `The draft could not be kept: ${describeFailure('action', result.error, result.message)}`,
            })),
          (error: unknown) =>
            setState((s) => ({ ...s, error: `The draft could not be kept: ${describeError('action', error)}` })),
        )
        .finally(() => void pending.current--);
    },
    [core, pseudonym, fixedId],
  );

  const resume = useCallback(
    (id: string) => {
      if (!fixedId) store(CURRENT + pseudonym, id);
      void load(id, false).then(
        (found) => apply(found.id, found.text),
        (error: unknown) => console.error('murmur: could not read the draft', error),
      );
    },
    [pseudonym, fixedId, load, apply],
  );

  const putAside = useCallback(async () => {
    // The worker answers in order, so once the last save is answered every earlier one is stored.
    await lastSave.current;
    if (!fixedId) store(CURRENT + pseudonym, undefined);
    apply(undefined, '');
  }, [pseudonym, fixedId, apply]);

  return {
    text: state.text,
    loaded: state.loaded,
    setText,
    resume,
    putAside,
    ...(state.error && { error: state.error }),
  };
}
