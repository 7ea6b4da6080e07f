/**
 * What signing and routing our own feed need of the keyring, as a small
 * interface: the sync engine, replication and local commits take one, so a
 * Node client passes its own keys (issue 17) and the worker passes its
 * keyring over IndexedDB (keyring.ts keyringSource).
 */
import type { SignedDelegation } from '../../src/protocol/agents.ts';
import { ProtocolError } from '../../src/protocol/errors.ts';
import { type SignedHead, buildHead } from '../../src/protocol/heads.ts';
import type { CommitId, ObjectId, PseudonymId } from '../../src/protocol/ids.ts';
import type { SecretKey } from '../../src/protocol/keys.ts';
import { CoreError } from '../errors.ts';

export interface KeySource {
  /** Every pseudonym whose keys this device holds. */
  listPseudonyms(): Promise<PseudonymId[]>;
  /** Its hub origins, home first. @throws ProtocolError NotFound */
  getHubs(pseudonym: PseudonymId): Promise<readonly string[]>;
  /** Its handle (`name@host`) once claimed. @throws ProtocolError NotFound */
  findHandle(pseudonym: PseudonymId): Promise<string | undefined>;
  /** Its handles on the hubs it moved away from: a mention of one is still a mention of it. */
  listFormerHandles?(pseudonym: PseudonymId): Promise<readonly string[]>;
  /**
   * For signing only: the pseudonym's own key, or, on a device that acts for it as an agent (findAgent), the
   * agent's key. @throws ProtocolError NotFound; CoreError Locked
   */
  getSecretKey(pseudonym: PseudonymId): Promise<SecretKey>;
  /**
   * Set when this device acts for `pseudonym` as an agent, holding no key of its owner: then getSecretKey gives
   * the agent's key, and commits and heads are signed in the agent forms (PROTOCOL.md, Agents).
   */
  findAgent?(pseudonym: PseudonymId): Promise<AgentSigning | undefined>;
}

/**
 * A signed pointer still owed to a hub the feed moved away from (PROTOCOL.md, Moving hubs): that hub could not be
 * reached during the move, so its head is not yet the pointer commit.
 */
export interface PointerOwed {
  readonly hub: string;
  /** The own commit whose profile op names the new hubs. */
  readonly pointer: CommitId;
}

/** Where a device keeps the pointers it owes (the keyring's row, the command line's pseudonyms.json). */
export interface OwedPointers {
  list(pseudonym: PseudonymId): Promise<readonly PointerOwed[]>;
  /** Records `owed`, replacing one owed to the same hub. */
  put(pseudonym: PseudonymId, owed: PointerOwed): Promise<void>;
  /** Forgets the pointer owed to `hub` (it was left there). */
  settle(pseudonym: PseudonymId, hub: string): Promise<void>;
}

/** An agent acting for a pseudonym: its id, the model it runs, and the owner's signed delegation. */
export interface AgentSigning {
  readonly id: PseudonymId;
  readonly model: string;
  readonly delegation: SignedDelegation;
}

/**
 * Signs a head of `pseudonym`'s feed with the key this device holds for it: the owner's, or an agent's in the
 * agent form.
 * @throws as getSecretKey; ProtocolError as buildHead
 */
export async function buildOwnHead(
  keys: KeySource,
  pseudonym: PseudonymId,
  fields: { heads: readonly CommitId[]; seq: number; ts: number; log?: ObjectId },
): Promise<SignedHead> {
  const secretKey = await keys.getSecretKey(pseudonym);
  const agent = await keys.findAgent?.(pseudonym);
  return buildHead(secretKey, { ...fields, ...(agent && { agent: { id: agent.id, delegation: agent.delegation } }) });
}

/** The home hub of `pseudonym` and its others, in order. @throws ProtocolError NotFound; CoreError InvalidField */
export async function getHubsOf(
  keys: KeySource,
  pseudonym: PseudonymId,
): Promise<{ readonly home: string; readonly others: readonly string[] }> {
  const [home, ...others] = await keys.getHubs(pseudonym);
  if (!home) throw new CoreError('InvalidField', `pseudonym ${pseudonym} has no home hub`);
  return { home, others };
}

/** Keys held in memory (a test, or a process that unlocked its keys itself), each with its hubs. */
export function memoryKeySource(
  entries: readonly {
    readonly secretKey: SecretKey;
    readonly id: PseudonymId;
    readonly hubs: readonly string[];
    readonly handle?: string;
  }[],
): KeySource {
  const byId = new Map(entries.map((e) => [e.id, e]));
  const get = (id: PseudonymId) => {
    const entry = byId.get(id);
    if (!entry) throw new ProtocolError('NotFound', `no pseudonym ${id} on this device`);
    return entry;
  };
  return {
    listPseudonyms: async () => [...byId.keys()],
    getHubs: async (id) => get(id).hubs,
    findHandle: async (id) => get(id).handle,
    getSecretKey: async (id) => get(id).secretKey,
  };
}
