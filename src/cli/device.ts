/**
 * The command line as a device of the network: one home (MURMUR_HOME) opened
 * for the length of a command, with its lock, its store (a journal replayed
 * into the core's memory store), its pseudonyms and keys, and the core's
 * sync engine and feeds over them, exactly as the worker runs them over
 * IndexedDB. Closing stops the engine's retries and lets go of the home.
 * With MURMUR_AGENT_KEY it is an agent's device instead (agent-device.ts).
 */
import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import type { PseudonymId } from '../protocol/ids.ts';
import { pickVerify } from '../protocol/keys.ts';
import { KeyedLock } from '../runtime/keyed-lock.ts';
import { Feeds } from '../../workers/feed/feeds.ts';
import { createHubClient } from '../../workers/net/hub-client.ts';
import { type SyncDeps, SyncEngine } from '../../workers/sync/sync.ts';
import { agentCredentialOf, agentHomeOf, agentMode, pullOwnerFeed, revocationChecked } from './agent-device.ts';
import { lockHome } from './home/home-lock.ts';
import { type PassphraseSource, readPassphrase } from './home/passphrase-prompt.ts';
import { PrivateState } from './home/private-state.ts';
import { Pseudonyms } from './home/pseudonyms.ts';
import { httpFetch } from './net/http-fetch.ts';
import { FileCoreStore } from './store/file-core-store.ts';
import { threadedVerify } from './verify-threads.ts';
import { ProgressLine } from './words/progress-line.ts';

export interface Device {
  readonly home: string;
  readonly store: FileCoreStore;
  readonly pseudonyms: Pseudonyms;
  readonly deps: SyncDeps;
  readonly engine: SyncEngine;
  readonly feeds: Feeds;
  /** The feeds a pseudonym of this home blocked (its private state). */
  readonly blocked: (pseudonym: PseudonymId) => Promise<ReadonlySet<PseudonymId>>;
  /** The passphrase of this home's keys, asked (or read from MURMUR_PASSPHRASE) once per command. */
  passphrase(): Promise<string>;
  close(): Promise<void>;
}

/** The home folder: MURMUR_HOME, else ~/.murmur. */
export function homeOf(env: NodeJS.ProcessEnv): string {
  return resolve(env.MURMUR_HOME || join(homedir(), '.murmur'));
}

/**
 * A bound on each exchange with a hub (a request and its whole answer): a terminal must not hang on a hub that
 * accepts connections and never answers. It fails as AnswerTooSlow (exit 3, like offline); what was committed
 * stays queued. The worker sets none: a tab lives on and retries; a command ends.
 */
const HUB_TIMEOUT_MS = 30_000;

/** How long a command waits for another murmur process on the same home before HomeBusy. */
const LOCK_WAIT_MS = 30_000;

/**
 * Opens the home, creating it if absent.
 * @throws CliError HomeBusy; CorruptJournal
 */
export async function openDevice(io: PassphraseSource): Promise<Device> {
  const agent = agentCredentialOf(io.env);
  const home = agent ? agentHomeOf(io.env, agent.file) : homeOf(io.env);
  mkdirSync(home, { recursive: true, mode: 0o700 });
  const lock = await lockHome(home, LOCK_WAIT_MS);
  let store: FileCoreStore;
  try {
    store = await FileCoreStore.open(join(home, 'journal'));
  } catch (error) {
    lock.release();
    throw error;
  }
  const pseudonyms = new Pseudonyms(home, agent && agentMode(agent.credential));
  let asked: Promise<string> | undefined;
  const passphrase = () => {
    asked ??= readPassphrase(io, agent ? `for the agent key ${agent.file}` : 'for the keys in this home');
    return asked;
  };
  const keys = pseudonyms.keySource(passphrase);
  const deps: SyncDeps = {
    store,
    keys: agent ? revocationChecked(keys, store, agent.credential) : keys,
    // A catch-up's many signatures on worker threads; a head or two on WebCrypto here (verify-threads.ts).
    verify: threadedVerify(await pickVerify()),
    now: Date.now,
    hub: (origin) => createHubClient(origin, httpFetch, undefined, { timeoutMs: HUB_TIMEOUT_MS }),
    locks: new KeyedLock(),
    emit: () => {},
    retry: { baseMs: 250, maxMs: 2_000 },
    // An agent's device never moves its owner's feed, so owes nothing and must not write the owner's entry.
    ...(!agent && { owed: pseudonyms.owedPointers() }),
  };
  const engine = new SyncEngine(deps, true);
  const blocked = async (id: PseudonymId) => {
    const entry = pseudonyms.list().find((p) => p.id === id);
    return entry ? PrivateState.open(home, entry.name).hidden().blocked : new Set<PseudonymId>();
  };
  const progress = ProgressLine.on(io.stderr);
  const feeds = new Feeds({
    ...deps,
    board: engine.board,
    blocked,
    ...(progress && { onFeedProgress: (author, p) => progress.update(author, p) }),
  });
  if (agent) await pullOwnerFeed(feeds, agent.credential); // never throws: what is held stays
  return {
    home,
    store,
    pseudonyms,
    deps,
    engine,
    feeds,
    blocked,
    passphrase,
    close: async () => {
      progress?.clear(); // a command that failed mid-catch-up leaves no half line before its error
      feeds.close();
      try {
        await engine.close();
        await compactQuietly(store);
      } finally {
        store.close();
        lock.release();
      }
    },
  };
}

/**
 * Compacts the journal if this command grew it much (file-core-store.ts compactIfGrown). A failed compaction
 * changes nothing (the journal is replaced whole or not at all) and the command's writes are already on disk,
 * so it does not fail the command: the next one that ends tries again.
 */
async function compactQuietly(store: FileCoreStore): Promise<void> {
  try {
    await store.compactIfGrown();
  } catch {
    // Kept as it was: see above.
  }
}

/** Sends what `pseudonym` has queued (and merges what its other devices sent); its status after. */
export async function pushOwn(device: Device, pseudonym: PseudonymId) {
  await device.engine.request(pseudonym);
  return device.engine.board.status(pseudonym);
}
