/**
 * Agents on the command line (docs/cli.md, "Agents"): the credential file an
 * agent process runs on alone (MURMUR_AGENT_KEY), and the owner home's record
 * of the agents it made (`agents.json`). A credential holds the agent's secret
 * key sealed in the app's backup format (workers/keys/backup.ts, as the
 * home's own keys are), the owner's public facts and the owner's signed
 * delegation; never the owner's key.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type SignedDelegation, decodeDelegation } from '../../protocol/agents.ts';
import type { Canonical } from '../../protocol/canonical.ts';
import { type PseudonymId, isPseudonymId } from '../../protocol/ids.ts';
import type { SecretKey } from '../../protocol/keys.ts';
import type { OpType } from '../../protocol/ops.ts';
import { CoreError } from '../../../workers/errors.ts';
import { decodeBackup, encodeBackup } from '../../../workers/keys/backup.ts';
import { CliError } from '../errors.ts';
import { writeFileAtomic } from './atomic-file.ts';

/** The owner an agent acts for, as its credential names it. */
export interface AgentOwner {
  readonly id: PseudonymId;
  readonly handle?: string;
  readonly displayName: string;
  readonly hubs: readonly string[];
}

/** A credential file's public part (the key stays sealed until something must be signed). */
export interface AgentCredential {
  readonly type: 'murmur-agent';
  readonly version: 1;
  readonly name: string;
  readonly id: PseudonymId;
  readonly model: string;
  readonly owner: AgentOwner;
  readonly delegation: SignedDelegation;
  /** The agent's secret key: the app's backup file, base64. */
  readonly key: string;
}

/** One agent in its owner's home (`agents.json`). */
export interface AgentRecord {
  readonly owner: PseudonymId;
  readonly name: string;
  readonly id: PseudonymId;
  readonly model: string;
  readonly scope: readonly OpType[];
  /** Milliseconds since the epoch. */
  readonly expires: number;
  readonly file: string;
  readonly createdAt: number;
}

/** Writes the credential FILE (mode 0600, as every file of a home), the agent's key sealed under `passphrase`. */
export async function writeAgentCredential(
  file: string,
  fields: Omit<AgentCredential, 'type' | 'version' | 'key'>,
  secretKey: SecretKey,
  passphrase: string,
): Promise<void> {
  const random = {
    salt: crypto.getRandomValues(new Uint8Array(16)),
    nonce: crypto.getRandomValues(new Uint8Array(24)),
  };
  const sealed = await encodeBackup(
    { id: fields.id, secretKey, name: fields.name, hubs: fields.owner.hubs, createdAt: Date.now() },
    passphrase,
    random,
  );
  const credential: AgentCredential = {
    type: 'murmur-agent',
    version: 1,
    ...fields,
    key: Buffer.from(sealed).toString('base64'),
  };
  writeFileAtomic(file, new TextEncoder().encode(`${JSON.stringify(credential, null, 2)}\n`));
}

/**
 * The credential at `file`, its form checked (not yet its key).
 * @throws CliError AgentCredentialUnreadable; CoreError NotFound (no such file)
 */
export function readAgentCredential(file: string): AgentCredential {
  if (!existsSync(file)) throw new CoreError('NotFound', `no agent credential at ${file} (MURMUR_AGENT_KEY)`);
  try {
    const raw = JSON.parse(readFileSync(file, 'utf8')) as AgentCredential;
    if (raw.type !== 'murmur-agent' || raw.version !== 1) throw new TypeError('not a murmur agent credential');
    const delegation = decodeDelegation(raw.delegation as unknown as Canonical, 'delegation');
    const ok =
      isPseudonymId(raw.id) &&
      isPseudonymId(raw.owner?.id) &&
      delegation.owner === raw.owner.id &&
      delegation.agent === raw.id &&
      Array.isArray(raw.owner.hubs) &&
      raw.owner.hubs.length > 0 &&
      typeof raw.model === 'string' &&
      typeof raw.key === 'string';
    if (!ok) throw new TypeError('its fields do not fit together');
    return { ...raw, delegation };
  } catch (error) {
    throw new CliError('AgentCredentialUnreadable', `${file} is not an agent credential: ${(error as Error).message}`);
  }
}

/** The agent's secret key. @throws CoreError WrongPassphrase, BackupTampered, BackupUnreadable */
export async function openAgentKey(credential: AgentCredential, passphrase: string): Promise<SecretKey> {
  const contents = await decodeBackup(new Uint8Array(Buffer.from(credential.key, 'base64')), passphrase);
  if (contents.id !== credential.id) throw new CliError('AgentCredentialUnreadable', 'the sealed key is not the agent');
  return contents.secretKey;
}

/** The agents a home made, as `agents.json` keeps them. */
export function listAgentRecords(home: string): AgentRecord[] {
  const path = join(home, 'agents.json');
  if (!existsSync(path)) return [];
  return (JSON.parse(readFileSync(path, 'utf8')) as { agents: AgentRecord[] }).agents;
}

/** Adds `record` to `agents.json` (replaced atomically). */
export function addAgentRecord(home: string, record: AgentRecord): void {
  const agents = [...listAgentRecords(home), record];
  writeFileAtomic(
    join(home, 'agents.json'),
    new TextEncoder().encode(`${JSON.stringify({ version: 1, agents }, null, 2)}\n`),
  );
}
