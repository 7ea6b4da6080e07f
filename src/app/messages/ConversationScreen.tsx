/**
 * One conversation: the messages with one person, oldest first, each with
 * its state (waiting to send, sent, not sent and why), and a box to write.
 * A message is kept here at once and sent when a hub is reachable.
 */
import { type FormEvent, useEffect, useId, useState } from 'react';
import type { MessageItem, PseudonymSummary } from '../../../workers/api/api-types.ts';
import { useCore } from '../core/use-core.ts';
import type { PseudonymId } from '../../protocol/ids.ts';
import { describeError, describeFailure } from '../core/error-text.ts';
import { useCoreQuery } from '../core/use-core-query.ts';
import { BackLink } from '../nav/BackLink.tsx';
import { type Person, personTag, personText, personTitle } from '../people/PersonLabel.tsx';

function stateText(m: MessageItem): string | undefined {
  if (m.state === 'queued') return 'Waiting to send';
  if (m.state === 'sent') return 'Sent';
  if (m.state === 'failed') return `Not sent: ${failedWords(m.error)}`;
  return undefined;
}

/** A failed delivery is kept as `Name: message` (deliveries.ts): the name in words where there are some. */
function failedWords(error: string | undefined): string {
  if (!error) return 'refused';
  const colon = error.indexOf(': ');
  return colon < 0 ? error : describeFailure('action', error.slice(0, colon), error.slice(colon + 2));
}

export default function ConversationScreen({
  pseudonym,
  peer,
}: {
  readonly pseudonym: PseudonymSummary;
  readonly peer: PseudonymId;
}) {
  const core = useCore();
  const me = pseudonym.id;
  const relevant = (c: { kind: string; pseudonym?: PseudonymId }) => c.kind === 'messages' && c.pseudonym === me;
  const thread = useCoreQuery(`messages:${me}:${peer}`, () => core.listMessages(me, peer), relevant);
  const summary = useCoreQuery(
    `conversation:${me}:${peer}`,
    async () => (await core.listConversations(me)).find((c) => c.peer === peer),
    relevant,
  );
  const contact = useCoreQuery(
    `contact:${me}:${peer}`,
    () => core.getContact(me, peer),
    (c) => relevant(c) || c.kind === 'profile',
  );
  const [body, setBody] = useState('');
  const [problem, setProblem] = useState<string>();
  const [busy, setBusy] = useState(false);
  const ids = useId();
  const unread = thread.data?.some((m) => m.direction === 'in') && (summary.data?.unread ?? 0) > 0;

  useEffect(() => {
    if (unread)
      core.markConversationRead(me, peer).catch((error: unknown) => setProblem(describeError('action', error)));
  }, [core, me, peer, unread]);

  async function send(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy || body.trim() === '') return;
    setBusy(true);
    try {
      const result = await core.sendMessage(me, peer, body);
      if (result.ok) {
        setBody('');
        setProblem(undefined);
      } else setProblem(describeFailure('post', result.error, result.message));
    } catch (error) {
      setProblem(describeError('post', error));
    } finally {
      setBusy(false);
    }
  }

  const person: Person = { id: peer, name: contact.data?.name, handle: contact.data?.handle };
  const name = personText(person);
  return (
    <section className="screen conversation" aria-labelledby={`${ids}-title`}>
      <BackLink />
      <div>
        <h1 id={`${ids}-title`} className="screen-title">
          <bdi>{personTitle(person)}</bdi>
        </h1>
        {/* The handle beside the name, under the title as on a profile: the title stays the name people know. */}
        {personTitle(person) !== personTag(person) && (
          <p className="profile-handle" data-testid="conversation-handle">
            <bdi>{personTag(person)}</bdi>
          </p>
        )}
      </div>
      {thread.error !== undefined && (
        <p className="message message-error" role="alert">
          {describeError('load', thread.error)}
        </p>
      )}
      {thread.data?.length === 0 && <p className="screen-message">No messages yet. Say hello.</p>}
      <ol className="message-list" aria-label={`Messages with ${name}`}>
        {(thread.data ?? []).map((m) => (
          <li
            key={m.id}
            className={m.direction === 'out' ? 'message-bubble message-out' : 'message-bubble'}
            data-testid="dm"
          >
            <span className="visually-hidden">{m.direction === 'out' ? 'You: ' : `${personTitle(person)}: `}</span>
            {m.body}
            <span className="message-state">
              <time dateTime={new Date(m.ts).toISOString()}>{new Date(m.ts).toLocaleTimeString()}</time>
              {stateText(m) && (
                <>
                  {' '}
                  · <span data-testid="dm-state">{stateText(m)}</span>
                </>
              )}
            </span>
          </li>
        ))}
      </ol>
      <form className="message-compose" onSubmit={(e) => void send(e)}>
        <label htmlFor={`${ids}-body`} className="field-label">
          Message
        </label>
        <textarea
          id={`${ids}-body`}
          className="input"
          rows={3}
          value={body}
          onChange={(e) => setBody(e.target.value)}
        />
        {problem && (
          <p className="message message-error" role="alert">
            {problem}
          </p>
        )}
        <button type="submit" className="button button-primary" disabled={busy || body.trim() === ''}>
          Send
        </button>
      </form>
    </section>
  );
}
