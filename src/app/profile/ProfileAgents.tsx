/** The agents that post for a feed under its delegation, as the posts held here show them; revoked ones marked. */
import type { ProfileAgent } from '../../../workers/api/api-types.ts';
import { shortFingerprint } from '../identity/pseudonym-label.ts';

export function ProfileAgents({ agents }: { readonly agents: readonly ProfileAgent[] }) {
  if (agents.length === 0) return null;
  return (
    <section className="profile-agents card" aria-labelledby="profile-agents-title" data-testid="profile-agents">
      <h2 id="profile-agents-title" className="section-title">
        Agents
      </h2>
      <ul>
        {agents.map((agent) => (
          <li key={agent.id} data-testid="profile-agent" className={agent.revoked ? 'revoked' : undefined}>
            <span className="profile-agent-name">{agent.name ?? `agent ${shortFingerprint(agent.id)}`}</span>
            {agent.model && <span className="profile-agent-model"> ({agent.model})</span>}
            {agent.revoked && <span className="profile-agent-revoked"> · revoked</span>}
            <span className="profile-agent-key" title={agent.id}>
              {' '}
              {shortFingerprint(agent.id)}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
