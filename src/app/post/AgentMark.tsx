/**
 * Marks a post written by an agent (verified provenance). Under the author's delegation it reads
 * "NAME (MODEL) on behalf of OWNER"; an agent the author merely declares shows its model.
 */
import type { TimelineItem } from '../../../workers/api/api-types.ts';
import { shortFingerprint } from '../identity/pseudonym-label.ts';
import { Icon } from '../shell/Icon.tsx';

/** "scribe (model-1) on behalf of Ada": the words of a delegated agent's byline. */
export function agentByline(agent: NonNullable<TimelineItem['agent']>, owner: string): string {
  return `${agent.name ?? `agent ${shortFingerprint(agent.id)}`} (${agent.model}) on behalf of ${owner}`;
}

export function AgentMark({
  agent,
  owner,
}: {
  readonly agent: NonNullable<TimelineItem['agent']>;
  /** The author as the byline names them. */
  readonly owner: string;
}) {
  if (agent.delegated) {
    const byline = agentByline(agent, owner);
    return (
      <span
        className="post-agent"
        data-testid="agent"
        title={`Written by ${byline}: signed by the agent's key under ${owner}'s delegation, verified`}
      >
        <Icon name="bot" size={14} />
        <span data-testid="agent-byline">{byline}</span>
      </span>
    );
  }
  const text = `Written by agent ${shortFingerprint(agent.id)} (${agent.model})`;
  return (
    <span className="post-agent" data-testid="agent" title={text}>
      <Icon name="bot" size={14} />
      <span className="visually-hidden">{text}</span>
      <span aria-hidden="true">{agent.model}</span>
    </span>
  );
}
