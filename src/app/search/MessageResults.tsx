/**
 * The direct messages a search found (core.search's `messages`), above the
 * posts: each opens its conversation, names the other person as every screen
 * does, and marks the words that matched.
 */
import type { MessageHit } from '../../../workers/api/api-types.ts';
import { ConversationLink } from '../messages/ConversationLink.tsx';
import { HighlightedText } from './HighlightedText.tsx';

export function MessageResults({ messages }: { readonly messages: readonly MessageHit[] }) {
  return (
    <ul className="conversation-list search-messages" aria-label="Messages found">
      {messages.map((m) => (
        <li key={m.id} className="conversation-item" data-testid="message-hit">
          <ConversationLink
            peer={m.peer}
            peerName={m.peerName}
            peerHandle={m.peerHandle}
            own={m.direction === 'out'}
            body={<HighlightedText text={m.body} ranges={m.highlights} />}
          />
        </li>
      ))}
    </ul>
  );
}
