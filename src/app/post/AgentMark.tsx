/** Marks a post written by an agent, naming the agent key and its model (verified provenance). */
import type { TimelineItem } from '../../../workers/api/api-types.ts';
import { shortFingerprint } from '../identity/pseudonym-label.ts';
import { Icon } from '../shell/Icon.tsx';

export function AgentMark({ agent }: { readonly agent: NonNullable<TimelineItem['agent']> }) {
  const text = `Written by agent ${shortFingerprint(agent.id)} (${agent.model})${agent.delegated ? ', delegated' : ''}`;
  return (
    <span className="post-agent" data-testid="agent" title={text}>
      <Icon name="bot" size={14} />
      <span className="visually-hidden">{text}</span>
      <span aria-hidden="true">{agent.model}</span>
    </span>
  );
}
