/**
 * Direct messages: the conversation list of the pseudonym on screen and a
 * form to write to a handle. Opening the screen publishes this pseudonym's
 * DM key (once) so others can write to it, and pulls its inbox.
 */
import { type FormEvent, useEffect, useId, useState } from 'react';
import type { PseudonymSummary } from '../../../workers/api/api-types.ts';
import { useCore } from '../core/use-core.ts';
import { formatHandle, parseHandle } from '../../protocol/handle-names.ts';
import { describeError, describeFailure } from '../core/error-text.ts';
import { useCoreQuery } from '../core/use-core-query.ts';
import { BackLink } from '../nav/BackLink.tsx';
import { conversationHref } from '../nav/route.ts';
import { ConversationLink } from './ConversationLink.tsx';

export default function MessagesScreen({ pseudonym }: { readonly pseudonym: PseudonymSummary }) {
  const core = useCore();
  const me = pseudonym.id;
  const list = useCoreQuery(
    `conversations:${me}`,
    () => core.listConversations(me),
    (c) => c.kind === 'messages' && c.pseudonym === me,
  );
  const [problem, setProblem] = useState<string>();
  const [handle, setHandle] = useState('');
  const [outcome, setOutcome] = useState<{ kind: 'working' | 'error'; text: string }>();
  const ids = useId();

  useEffect(() => {
    let live = true;
    const fail = (text: string) => live && setProblem(text);
    core.enableMessages(me).then(
      (r) => r.ok || fail(`Others cannot write to you yet: ${describeFailure('action', r.error, r.message)}`),
      (error: unknown) => fail(`Others cannot write to you yet: ${describeError('action', error)}`),
    );
    core.refreshInbox(me).then(
      (r) => r.ok || fail(`Could not check for new messages: ${describeFailure('load', r.error, r.message)}`),
      (error: unknown) => fail(`Could not check for new messages: ${describeError('load', error)}`),
    );
    return () => {
      live = false;
    };
  }, [core, me]);

  async function start(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (outcome?.kind === 'working') return;
    let target: string;
    try {
      target = formatHandle(parseHandle(handle));
    } catch {
      setOutcome({ kind: 'error', text: 'That is not a handle like name@hub.example' });
      return;
    }
    setOutcome({ kind: 'working', text: `Looking up ${target}…` });
    try {
      const result = await core.openConversation(me, target);
      if (!result.ok)
        return setOutcome({ kind: 'error', text: describeFailure('follow', result.error, result.message) });
      setOutcome(undefined);
      setHandle('');
      location.hash = conversationHref(result.value.peer);
    } catch (error) {
      setOutcome({ kind: 'error', text: describeError('follow', error) });
    }
  }

  const conversations = list.data ?? [];
  return (
    <section className="screen messages" aria-labelledby="messages-title">
      <BackLink />
      <h1 id="messages-title" className="screen-title">
        Messages
      </h1>
      <p className="field-hint">End-to-end encrypted: hubs carry only ciphertext.</p>
      {problem && (
        <p className="message message-error" role="alert">
          {problem}
        </p>
      )}
      <form className="field" onSubmit={(e) => void start(e)} aria-labelledby={`${ids}-new`}>
        <h2 id={`${ids}-new`} className="field-label">
          New message
        </h2>
        <label htmlFor={`${ids}-handle`} className="field-hint">
          Their handle
        </label>
        <div className="screen-head">
          <input
            id={`${ids}-handle`}
            className="input"
            value={handle}
            placeholder="name@hub.example"
            autoComplete="off"
            spellCheck={false}
            aria-invalid={outcome?.kind === 'error' ? true : undefined}
            aria-describedby={`${ids}-outcome`}
            onChange={(e) => setHandle(e.target.value)}
          />
          <button type="submit" className="button button-primary" disabled={outcome?.kind === 'working'}>
            Write
          </button>
        </div>
        <p
          id={`${ids}-outcome`}
          className={outcome?.kind === 'error' ? 'message message-error' : 'message'}
          role="status"
        >
          {outcome?.text}
        </p>
      </form>
      {list.error !== undefined && (
        <p className="message message-error" role="alert">
          {describeError('load', list.error)}
        </p>
      )}
      {list.data !== undefined && conversations.length === 0 && <p className="screen-message">No conversations yet.</p>}
      <ul className="conversation-list" aria-label="Conversations">
        {conversations.map((c) => (
          <li key={c.peer} className="conversation-item" data-testid="conversation">
            <ConversationLink
              peer={c.peer}
              peerName={c.peerName}
              peerHandle={c.peerHandle}
              own={c.last.direction === 'out'}
              body={c.last.body}
              beside={
                c.unread > 0 && (
                  <span className="nav-badge" data-testid="conversation-unread">
                    {c.unread}
                    <span className="visually-hidden"> unread</span>
                  </span>
                )
              }
            />
          </li>
        ))}
      </ul>
    </section>
  );
}
