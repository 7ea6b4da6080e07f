/**
 * The direct messages a search found (core.search's `messages`), above the
 * posts: each opens its conversation, names the other person as every screen
 * does, and marks the words that matched.
 */
import type { MessageHit } from '../../../workers/api/api-types.ts';
import { conversationHref } from '../nav/route.ts';
import { PersonLabel } from '../people/PersonLabel.tsx';
import { HighlightedText } from './HighlightedText.tsx';

export function MessageResults({ messages }: { readonly messages: readonly MessageHit[] }) {
  return (
    <ul className="conversation-list search-messages" aria-label="Messages found">
      {messages.map((m) => (
        <li key={m.id} className="conversation-item" data-testid="message-hit">
          <a href={conversationHref(m.peer)}>
            <span className="conversation-head">
              <strong>
                <PersonLabel person={{ id: m.peer, name: m.peerName, handle: m.peerHandle }} />
              </strong>
            </span>
            <span className="notification-body">
              {m.direction === 'out' ? 'You: ' : ''}
              <HighlightedText text={m.body} ranges={m.highlights} />
            </span>
          </a>
        </li>
      ))}
    </ul>
  );
}
