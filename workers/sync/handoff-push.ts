/**
 * The service worker's half of handoff.ts: with no page open, sends each
 * fresh handoff's requests in order, dropping each from the stored handoff
 * as the hub takes it (so a sync event cut short and fired again resends
 * only the rest), and the handoff itself once its head is in. A tab leading
 * the pseudonym's sync (its Web Lock) pushes instead, so this one stands
 * aside. Nothing here can sign: it sends the slot signed for now
 * (handoff-db.ts), and a handoff whose slots are all past waits for the app.
 */
import type { PseudonymId } from '../../src/protocol/ids.ts';
import { routePath } from '../../src/protocol/routes.ts';
import { type HandoffDb, slotAt } from './handoff-db.ts';
import { type LockManagerLike, leadLockName } from '../tabs/leader.ts';

export interface HandoffOutcome {
  readonly pseudonym: PseudonymId;
  /** sent: every request taken; stale: too old to send; led: a tab leads it; refused: the hub said no (named). */
  readonly result: 'sent' | 'stale' | 'led' | 'refused';
  readonly detail?: string;
}

interface PushDeps {
  readonly handoffs: HandoffDb;
  readonly fetch: typeof fetch;
  readonly now: () => number;
  readonly locks?: LockManagerLike;
  /**
   * With no page of the app open, how long to wait for a pseudonym's lead lock: its holder can then only be
   * the core worker of a tab being closed, which lets go as it ends (on a busy machine, seconds later). Without
   * it, a handoff whose lock is held is left to the tab that holds it ('led').
   */
  readonly lockWaitMs?: number;
}

/**
 * Sends every handoff that is fresh and led by no tab. @throws on a network failure (the sync event fires again later).
 */
export async function pushHandoffs(deps: PushDeps): Promise<HandoffOutcome[]> {
  const outcomes: HandoffOutcome[] = [];
  for (const pseudonym of await deps.handoffs.getAllKeys('handoffs')) {
    const run = () => pushOne(deps, pseudonym);
    const led = { pseudonym, result: 'led' as const };
    let outcome: HandoffOutcome;
    if (!deps.locks) outcome = await run();
    else if (deps.lockWaitMs === undefined) {
      outcome = await deps.locks.request(leadLockName(pseudonym), { ifAvailable: true }, (lock) =>
        lock === null ? led : run(),
      );
    } else {
      const signal = AbortSignal.timeout(deps.lockWaitMs);
      outcome = await deps.locks.request(leadLockName(pseudonym), { signal }, run).catch((error: unknown) => {
        if (signal.aborted) return led; // still held: a tab leads after all
        throw error;
      });
    }
    outcomes.push(outcome);
  }
  return outcomes;
}

/** Where a blob upload goes, up to its id (the route table's, src/protocol/routes.ts). */
const BLOB_PATH = routePath('putBlob', { id: '' });

async function pushOne(deps: PushDeps, pseudonym: PseudonymId): Promise<HandoffOutcome> {
  const handoff = await deps.handoffs.get('handoffs', pseudonym);
  if (!handoff) return { pseudonym, result: 'sent' };
  const slot = slotAt(handoff, deps.now());
  if (slot === undefined) return { pseudonym, result: 'stale' };
  let rest = [...handoff.requests];
  while (rest.length > 0) {
    const request = rest[0]!;
    const headers = { ...request.headers, ...request.auth[slot] };
    const res = await deps.fetch(request.url, {
      method: request.method,
      headers,
      body: request.body as Uint8Array<ArrayBuffer>,
    });
    if (!res.ok) {
      const error = await errorName(res);
      // Replayed: this very request was taken before (the last event was cut short after the hub took it).
      if (!(error === 'Replayed' && request.url.includes(BLOB_PATH))) {
        await deps.handoffs.delete('handoffs', pseudonym); // the app's next start sorts it out (a merge, a quota...)
        return { pseudonym, result: 'refused', detail: `${res.status} ${error}` };
      }
    }
    rest = rest.slice(1);
    const current = await deps.handoffs.get('handoffs', pseudonym);
    // A tab that signed a newer handoff meanwhile keeps its own; only our progress is recorded.
    if (current?.signedAt !== handoff.signedAt) return { pseudonym, result: 'sent' };
    if (rest.length > 0) await deps.handoffs.put('handoffs', { ...handoff, requests: rest });
  }
  await deps.handoffs.delete('handoffs', pseudonym);
  return { pseudonym, result: 'sent' };
}

async function errorName(res: Response): Promise<string> {
  try {
    const body = (await res.json()) as { error?: unknown };
    return typeof body.error === 'string' ? body.error : 'Unknown';
  } catch {
    return 'Unknown';
  }
}
