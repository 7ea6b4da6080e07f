/**
 * Agent mode (MURMUR_AGENT_KEY=FILE): the process acts as the agent the
 * credential names, for its owner, holding no key of the owner's. The home
 * (MURMUR_HOME, else a folder beside the credential) holds only the agent's
 * copy of the owner's feed; its one pseudonym is the owner, and its key
 * source signs with the agent's key under the owner's delegation
 * (home/pseudonyms.ts), so every command's commits and heads take the agent
 * forms with no code of their own. Before it signs anything, the process
 * looks at the owner's feed, fetched at open: a revocation of this agent
 * there stops it (AgentRevoked).
 */
import { existsSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { PseudonymId } from '../protocol/ids.ts';
import type { Feeds } from '../../workers/feed/feeds.ts';
import type { KeySource } from '../../workers/keys/key-source.ts';
import { CliError } from './errors.ts';
import { type AgentCredential, openAgentKey, readAgentCredential } from './home/agent-credential.ts';
import type { AgentMode } from './home/pseudonyms.ts';
import { heldCommits } from '../../workers/read/held-feed.ts';
import { feedState } from '../protocol/feed-state.ts';
import type { FeedStore } from '../../workers/store/core-store.ts';

/** The credential MURMUR_AGENT_KEY names, if set. @throws CliError AgentCredentialUnreadable; CoreError NotFound */
export function agentCredentialOf(env: NodeJS.ProcessEnv): { file: string; credential: AgentCredential } | undefined {
  const path = env.MURMUR_AGENT_KEY;
  if (!path) return undefined;
  const file = resolve(path);
  return { file, credential: readAgentCredential(file) };
}

/**
 * An agent's home: MURMUR_HOME when set, else `NAME-home` beside the credential `NAME.json`; never a home of
 * pseudonyms (its journal would mix the agent's copy of the feed with theirs).
 * @throws CliError Usage
 */
export function agentHomeOf(env: NodeJS.ProcessEnv, file: string): string {
  const home = env.MURMUR_HOME ? resolve(env.MURMUR_HOME) : join(dirname(file), `${basename(file, '.json')}-home`);
  if (existsSync(join(home, 'pseudonyms.json')))
    throw new CliError('Usage', `${home} holds pseudonyms: an agent (MURMUR_AGENT_KEY) needs a MURMUR_HOME of its own`);
  return home;
}

/** The owner as this process's one pseudonym, and how to sign for it. */
export function agentMode(credential: AgentCredential): AgentMode {
  const { owner } = credential;
  return {
    owner: {
      name: owner.handle?.split('@')[0] ?? 'owner',
      id: owner.id,
      displayName: owner.displayName,
      ...(owner.handle !== undefined && { handle: owner.handle }),
      hubs: owner.hubs,
      createdAt: 0,
    },
    signing: { id: credential.id, model: credential.model, delegation: credential.delegation },
    openKey: (passphrase) => openAgentKey(credential, passphrase),
  };
}

/**
 * `keys`, refusing to give the agent's key once the owner's feed (as held) revokes it.
 * @throws CliError AgentRevoked (from getSecretKey)
 */
export function revocationChecked(keys: KeySource, store: FeedStore, agent: AgentCredential): KeySource {
  let checked: Promise<void> | undefined;
  const check = async () => {
    const state = feedState(await heldCommits(store, agent.owner.id));
    if (state.revoked.has(agent.id)) {
      const who = agent.owner.handle ?? agent.owner.id;
      throw new CliError('AgentRevoked', `${who} revoked this agent (${agent.name}); it may sign nothing more`);
    }
  };
  return {
    ...keys,
    getSecretKey: async (id: PseudonymId) => {
      checked ??= check();
      await checked;
      return keys.getSecretKey(id);
    },
  };
}

/**
 * Brings the owner's feed up to its hubs' head, so the agent builds on it and sees a revocation. A hub that
 * cannot be reached (or answers wrongly) leaves what is held: readers refuse what a revoked agent signs anyway.
 */
export async function pullOwnerFeed(feeds: Feeds, agent: AgentCredential): Promise<void> {
  await feeds.update(agent.owner.id, agent.owner.hubs, { forPseudonym: agent.owner.id });
}
