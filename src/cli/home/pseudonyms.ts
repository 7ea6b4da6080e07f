/**
 * The pseudonyms of one home (MURMUR_HOME): their public facts in
 * `pseudonyms.json` (name, id, handle, hubs; readable without the
 * passphrase, so `whoami`, `timeline` and `status` never ask for it), and
 * each secret key in `keys/NAME.murmur`, which is the app's own encrypted
 * backup file (workers/keys/backup.ts): the same bytes `export` writes and
 * the app imports. A key is decrypted only when something must be signed.
 *
 * In agent mode (MURMUR_AGENT_KEY, agent-device.ts) the home holds one
 * pseudonym, the agent's owner, from the credential and never written: its
 * key source gives the agent's key and the owner's delegation, so every
 * command signs as the agent without code of its own.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type PseudonymId, isPseudonymId } from '../../protocol/ids.ts';
import type { SecretKey } from '../../protocol/keys.ts';
import { ProtocolError } from '../../protocol/errors.ts';
import { type BackupContents, decodeBackup, encodeBackup } from '../../../workers/keys/backup.ts';
import type { AgentSigning, KeySource, OwedPointers, PointerOwed } from '../../../workers/keys/key-source.ts';
import { CoreError } from '../../../workers/errors.ts';
import { CliError } from '../errors.ts';
import { writeFileAtomic } from './atomic-file.ts';

/** What `pseudonyms.json` holds of one pseudonym: nothing secret. */
export interface PseudonymEntry {
  /** The local name `--as` picks; the handle's name unless given otherwise. */
  readonly name: string;
  readonly id: PseudonymId;
  readonly displayName: string;
  readonly handle?: string;
  /** Its handles on the hubs it moved away from (a mention of one still counts). */
  readonly formerHandles?: readonly string[];
  readonly hubs: readonly string[];
  readonly createdAt: number;
  /** Hubs it moved away from that do not hold its pointer commit yet (workers/sync/pointer-retry.ts). */
  readonly pointersOwed?: readonly PointerOwed[];
}

interface PseudonymIndex {
  readonly version: 1;
  /** The pseudonym used without --as: the first one made or imported. */
  readonly default?: string;
  readonly pseudonyms: readonly PseudonymEntry[];
}

const LOCAL_NAME = /^[a-z0-9][a-z0-9_.-]{0,31}$/;

/** A process acting as an agent for `owner`: the agent's key (unsealed with the passphrase) and its delegation. */
export interface AgentMode {
  readonly owner: PseudonymEntry;
  readonly signing: AgentSigning;
  openKey(passphrase: string): Promise<SecretKey>;
}

export class Pseudonyms {
  readonly #home: string;
  #index: PseudonymIndex;
  readonly #agent: AgentMode | undefined;

  constructor(home: string, agent?: AgentMode) {
    this.#home = home;
    this.#agent = agent;
    const path = join(home, 'pseudonyms.json');
    this.#index = agent
      ? { version: 1, default: agent.owner.name, pseudonyms: [agent.owner] }
      : existsSync(path)
        ? (JSON.parse(readFileSync(path, 'utf8')) as PseudonymIndex)
        : { version: 1, pseudonyms: [] };
  }

  /** Set when this process acts as an agent (MURMUR_AGENT_KEY). */
  get agent(): AgentMode | undefined {
    return this.#agent;
  }

  /** @throws CoreError Forbidden in agent mode: an agent holds no key of its owner's. */
  #ownerOnly(what: string): void {
    if (this.#agent) throw new CoreError('Forbidden', `an agent process (MURMUR_AGENT_KEY) cannot ${what}`);
  }

  list(): readonly PseudonymEntry[] {
    return this.#index.pseudonyms;
  }

  /**
   * The pseudonym named `as`, or the default one.
   * @throws CliError NoPseudonym
   */
  pick(as: string | undefined): PseudonymEntry {
    const name = as ?? this.#index.default;
    const entry = this.#index.pseudonyms.find((p) => p.name === name);
    if (entry) return entry;
    if (as === undefined)
      throw new CliError('NoPseudonym', 'no pseudonym here yet: run `murmur init` or `murmur import FILE`');
    const known = this.#index.pseudonyms.map((p) => p.name).join(', ') || 'none';
    throw new CliError('NoPseudonym', `no pseudonym named ${as} here (known: ${known})`);
  }

  /**
   * Adds a pseudonym: its key sealed under `passphrase` in the app's backup format, then its entry.
   * @throws CliError NameTaken (that name or that pseudonym is here already), Usage (a bad local name)
   */
  async add(entry: PseudonymEntry, secretKey: SecretKey, passphrase: string): Promise<void> {
    this.#ownerOnly('add a pseudonym');
    if (!LOCAL_NAME.test(entry.name))
      throw new CliError('Usage', `${entry.name} is not a local name (1 to 32 of a-z 0-9 _ . -)`);
    const clash = this.#index.pseudonyms.find((p) => p.name === entry.name || p.id === entry.id);
    if (clash) throw new CliError('NameTaken', `this home already holds ${clash.name} (${clash.id})`);
    mkdirSync(join(this.#home, 'keys'), { recursive: true, mode: 0o700 });
    writeFileAtomic(this.#keyPath(entry.name), await sealKey(entry, secretKey, passphrase));
    this.#write({
      version: 1,
      default: this.#index.default ?? entry.name,
      pseudonyms: [...this.#index.pseudonyms, entry],
    });
  }

  /** Records a new handle for `name` (after a claim on its home hub). */
  setHandle(name: string, handle: string): void {
    this.#ownerOnly('claim a handle');
    this.#write({
      ...this.#index,
      pseudonyms: this.#index.pseudonyms.map((p) => (p.name === name ? { ...p, handle } : p)),
    });
  }

  /** Records `name`'s hubs (the new home first) and its handle there, after a move of hubs (`move-hub`). */
  setHome(name: string, hubs: readonly string[], handle: string | undefined): void {
    this.#ownerOnly('move hubs');
    this.#write({
      ...this.#index,
      pseudonyms: this.#index.pseudonyms.map((p) =>
        p.name === name
          ? { ...p, hubs: [...hubs], ...(handle !== undefined && { handle, ...formerOf(p, handle) }) }
          : p,
      ),
    });
  }

  /** The pointers owed to hubs left behind, kept in `pseudonyms.json` beside the hubs. */
  owedPointers(): OwedPointers {
    const change = async (id: PseudonymId, edit: (owed: readonly PointerOwed[]) => PointerOwed[]) =>
      this.#write({
        ...this.#index,
        pseudonyms: this.#index.pseudonyms.map((p) =>
          p.id === id ? { ...p, pointersOwed: edit(p.pointersOwed ?? []) } : p,
        ),
      });
    return {
      list: async (id) => this.#index.pseudonyms.find((p) => p.id === id)?.pointersOwed ?? [],
      put: (id, { hub, pointer }) => change(id, (owed) => [...owed.filter((o) => o.hub !== hub), { hub, pointer }]),
      settle: (id, hub) => change(id, (owed) => owed.filter((o) => o.hub !== hub)),
    };
  }

  /**
   * The pseudonym's backup contents, decrypted.
   * @throws CoreError WrongPassphrase, BackupTampered, BackupUnreadable; Forbidden (agent mode)
   */
  async open(entry: PseudonymEntry, passphrase: string): Promise<BackupContents> {
    this.#ownerOnly("open its owner's key");
    const contents = await decodeBackup(readFileSync(this.#keyPath(entry.name)), passphrase);
    return { ...contents, handle: entry.handle ?? contents.handle };
  }

  /**
   * The keys of this home, decrypted on first use with the passphrase `unlock` gives; in agent mode the agent's
   * key for its owner, with the delegation.
   */
  keySource(unlock: () => Promise<string>): KeySource {
    const keys = new Map<PseudonymId, Promise<SecretKey>>();
    const entryOf = (id: PseudonymId) => {
      const entry = this.#index.pseudonyms.find((p) => p.id === id);
      if (!entry) throw new ProtocolError('NotFound', `no pseudonym ${id} in this home`);
      return entry;
    };
    const agent = this.#agent;
    const open = async (id: PseudonymId) =>
      agent ? agent.openKey(await unlock()) : (await this.open(entryOf(id), await unlock())).secretKey;
    return {
      listPseudonyms: async () => this.#index.pseudonyms.map((p) => p.id),
      getHubs: async (id) => entryOf(id).hubs,
      findHandle: async (id) => entryOf(id).handle,
      listFormerHandles: async (id) => entryOf(id).formerHandles ?? [],
      getSecretKey: (id) => {
        let key = keys.get(id);
        if (!key) {
          entryOf(id);
          key = open(id);
          keys.set(id, key);
        }
        return key;
      },
      ...(agent && { findAgent: async (id: PseudonymId) => (id === agent.owner.id ? agent.signing : undefined) }),
    };
  }

  #keyPath(name: string): string {
    return join(this.#home, 'keys', `${name}.murmur`);
  }

  #write(index: PseudonymIndex): void {
    if (!index.pseudonyms.every((p) => isPseudonymId(p.id))) throw new TypeError('a pseudonym entry without an id');
    writeFileAtomic(
      join(this.#home, 'pseudonyms.json'),
      new TextEncoder().encode(`${JSON.stringify(index, null, 2)}\n`),
    );
    this.#index = index;
  }
}

/** The handles `entry` had before `handle` (a move's), when it changes. */
function formerOf(entry: PseudonymEntry, handle: string): { formerHandles?: readonly string[] } {
  if (entry.handle === undefined || entry.handle === handle) return {};
  return { formerHandles: [...new Set([...(entry.formerHandles ?? []), entry.handle])] };
}

/** The app's backup file of a pseudonym: what `keys/NAME.murmur` holds and `export` writes. */
export function sealKey(entry: PseudonymEntry, secretKey: SecretKey, passphrase: string): Promise<Uint8Array> {
  const random = {
    salt: crypto.getRandomValues(new Uint8Array(16)),
    nonce: crypto.getRandomValues(new Uint8Array(24)),
  };
  return encodeBackup(
    {
      id: entry.id,
      secretKey,
      name: entry.displayName,
      ...(entry.handle && { handle: entry.handle }),
      hubs: entry.hubs,
      createdAt: entry.createdAt,
    },
    passphrase,
    random,
  );
}
