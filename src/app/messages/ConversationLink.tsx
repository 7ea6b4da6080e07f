/**
 * A link to one conversation as lists show it (Messages, and the messages a search found): the other person
 * named as every screen names them, anything beside the name (an unread count), and a message's text after
 * "You: " when it was one's own.
 */
import type { ReactNode } from 'react';
import type { PseudonymId } from '../../protocol/ids.ts';
import { conversationHref } from '../nav/route.ts';
import { PersonLabel } from '../people/PersonLabel.tsx';

export interface ConversationLinkProps {
  readonly peer: PseudonymId;
  readonly peerName?: string | undefined;
  readonly peerHandle?: string | undefined;
  readonly own: boolean;
  /** The message's text (plain, or marked by a search). */
  readonly body: ReactNode;
  readonly beside?: ReactNode;
}

export function ConversationLink({ peer, peerName, peerHandle, own, body, beside }: ConversationLinkProps) {
  return (
    <a href={conversationHref(peer)}>
      <span className="conversation-head">
        <strong>
          <PersonLabel person={{ id: peer, name: peerName, handle: peerHandle }} />
        </strong>
        {beside}
      </span>
      <span className="notification-body">
        {own ? 'You: ' : ''}
        {body}
      </span>
    </a>
  );
}
