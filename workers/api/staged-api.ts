/**
 * The core in two stages, so the first screen waits only for what it reads.
 * Until the rest is loaded, the early reads (early-api.ts) answer what they
 * can; every other call, an early read that cannot answer, or the page's
 * `startBackground` (sent once its first screen shows) loads the rest: the
 * full core (api.ts), a chunk of its own, whose sync, live updates, inbox
 * and private state start with it. What the page said meanwhile (online,
 * the pseudonym shown) is handed over, and change notices reach the same
 * listeners before and after.
 */
import type { PseudonymId } from '../../src/protocol/ids.ts';
import type { Change, CoreApi } from './api-types.ts';
import { createChangeEmitter } from './changes.ts';
import { CORE_METHODS } from './deferred-api.ts';
import { EARLY_METHODS, type EarlyApi, type EarlyMethod } from './early-api.ts';
import { PRIVATE_METHODS } from '../private/types.ts';

export interface Stages {
  readonly early: EarlyApi;
  /** Loads and starts the full core, with the page's connectivity as last told. */
  readonly load: (online: boolean) => Promise<CoreApi>;
  /** Another tab's change notices, heard only until the full core hears them itself; returns the stop. */
  readonly otherTabs?: (listener: (change: Change) => void) => () => void;
}

type Call = (...args: unknown[]) => Promise<unknown>;

export interface StagedApi extends CoreApi {
  /** What the page last said of connectivity (the early reads' view of it). */
  readonly online: () => boolean;
}

export function stagedApi(stages: Stages, online = true): StagedApi {
  const changes = createChangeEmitter();
  const stopOtherTabs = stages.otherTabs?.((change) => changes.emit(change));
  let shown: { readonly pseudonym: PseudonymId | undefined } | undefined;
  let full: CoreApi | undefined;
  let loading: Promise<CoreApi> | undefined;

  /** Why the last load failed (a chunk that did not arrive): the badge says so until a call loads it. */
  let failed: unknown;

  const rest = (): Promise<CoreApi> => {
    loading ??= (async () => {
      const core = await stages.load(online);
      stopOtherTabs?.(); // the full core's own channel hears them from now on
      await core.subscribe((change) => changes.emit(change));
      if (shown) await core.setActive(shown.pseudonym);
      full = core;
      failed = undefined;
      return core;
    })().catch((error: unknown) => {
      // The next call, or the page's next startBackground, tries again; meanwhile the badge says why in words.
      failed = error;
      loading = undefined;
      changes.emit({ kind: 'sync' });
      throw error;
    });
    return loading;
  };
  const forward =
    (name: string): Call =>
    async (...args) =>
      ((full ?? (await rest()))[name as keyof CoreApi] as Call)(...args);

  const api: Record<string, Call> = {};
  for (const name of [...CORE_METHODS, ...PRIVATE_METHODS]) api[name] = forward(name);
  for (const name of EARLY_METHODS) {
    const early = stages.early[name as EarlyMethod] as Call;
    api[name] = async (...args) => {
      if (full) return (full[name] as Call)(...args);
      return (await early(...args)) ?? forward(name)(...args);
    };
  }
  return {
    ...(api as unknown as CoreApi),
    online: () => online,
    subscribe: async (listener) => changes.subscribe(listener),
    async setOnline(next) {
      online = next;
      if (loading) await (await loading).setOnline(next);
    },
    async setActive(pseudonym) {
      shown = { pseudonym };
      if (loading) await (await loading).setActive(pseudonym);
    },
    async startBackground() {
      await rest();
    },
    async getSyncStatus(pseudonym) {
      if (full) return full.getSyncStatus(pseudonym);
      const status = (await stages.early.getSyncStatus(pseudonym))!;
      if (failed === undefined) return status;
      const why = failed instanceof Error ? failed.message : String(failed);
      return {
        state: 'error',
        queued: status.queued,
        message: `Murmur could not load the part of itself that syncs (${why}). Reload the page to try again.`,
      };
    },
  };
}
