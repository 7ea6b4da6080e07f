/**
 * `murmur hive ...` (issue 21 point 5; PROTOCOL.md, Hives): the app's hives
 * API (workers/api/hives-api.ts) over this home's store, keys and hive file.
 * A member's act is a commit in its own feed, sent at once with its
 * announcement to the hive's board (else queued for `sync`); the owner's
 * decisions go into the hive's own feed, pushed by a sync engine over the
 * hive keys. Reading assembles the hive from its hubs, checking everything. The
 * owner's hives travel in its private state, as the app's do (adopt before acting as owner).
 */
import { isPseudonymId, parsePseudonymId } from '../../protocol/ids.ts';
import type { PseudonymId } from '../../protocol/ids.ts';
import { CoreError, type CoreErrorName, errorName } from '../../../workers/errors.ts';
import { fetchToName } from '../../../workers/inbox/people.ts';
import { adoptOwnedHives } from '../../../workers/hives/adopt-owned.ts';
import { ownedHivesOf, recordOwnedHive } from '../../../workers/private/owned-hives-doc.ts';
import { PrivateState } from '../home/private-state.ts';
import { syncPrivate } from './private.ts';
import { createHivesApi } from '../../../workers/api/hives-api.ts';
import type { HiveAddress, HiveDecision, HivesApi } from '../../../workers/api/hives-types.ts';
import { resolveHandle } from '../../../workers/feed/handle-lookup.ts';
import { hiveKeySource } from '../../../workers/hives/owned-hives.ts';
import { SyncEngine } from '../../../workers/sync/sync.ts';
import type { Answer } from '../answer.ts';
import { HiveFiles } from '../home/hive-files.ts';
import { type CommandContext, actingAs } from './context.ts';
import { deliverInbox } from './notices.ts';
import { send } from './social.ts';

/** The hives API on this home, and what an act left to send: the actor's feed, the hive feeds, announcements. */
function hivesOf(context: CommandContext) {
  const { device } = context;
  const files = new HiveFiles(device.home);
  const owned = files.owned();
  const known = files.known();
  const nameOf = (id: PseudonymId) => device.pseudonyms.list().find((p) => p.id === id)?.name;
  /** Whether a hive made here was recorded in the owner's private state (pushed by `flush`). */
  let recorded = false;
  const pending = { own: new Set<PseudonymId>(), hives: new Set<PseudonymId>() };
  // The hive feeds are pushed as soon as asked (a new listed hive is listed once its charter is on its hubs).
  let engine: SyncEngine | undefined;
  const pushHive = (hive: PseudonymId) => {
    pending.hives.add(hive);
    engine ??= new SyncEngine({ ...device.deps, keys: hiveKeySource(owned, device.deps.keys) }, true);
    return engine.request(hive);
  };
  // The people a read shows whom this home cannot name yet: fetched (a few at most, people.ts) before printing.
  let naming: Promise<unknown> = Promise.resolve();
  const peopleDeps = { ...device.deps, store: device.store, blocked: device.blocked };
  const api: HivesApi = createHivesApi({
    ...device.deps,
    store: device.store,
    owned,
    known,
    random: (bytes) => crypto.getRandomValues(bytes),
    pushSoon: (p) => pending.own.add(p),
    pushHive,
    deliver: (p) => pending.own.add(p),
    // The owner's other devices (the app, another home) own the hive too (workers/private/owned-hives-doc.ts).
    recordOwned: async (owner, entry) => {
      const name = nameOf(owner);
      if (!name) return;
      PrivateState.open(device.home, name).change((doc) => recordOwnedHive(doc, entry));
      recorded = true;
    },
    nameMet: (viewer, met) => {
      naming = fetchToName(peopleDeps, viewer, met).catch((error: unknown) => {
        if (errorName(error) !== 'Offline') process.stderr.write(`murmur: could not fetch names: ${String(error)}\n`);
      });
    },
  });
  /**
   * Takes up the hives `me` made on its other devices (their nonces in its private state, each checked against the
   * key: workers/hives/adopt-owned.ts), their feeds fetched before anything is signed as them. Never throws.
   */
  const adopt = async (me: PseudonymId) => {
    const name = nameOf(me);
    if (!name || (await device.deps.keys.findAgent?.(me))) return;
    await syncPrivate(device, me);
    const entries = ownedHivesOf(PrivateState.open(device.home, name).doc);
    const adopted: PseudonymId[] = [];
    const adoptDeps = {
      owned,
      known,
      keys: device.deps.keys,
      now: () => Date.now(),
      syncHive: (h: PseudonymId) => void adopted.push(h),
    };
    await adoptOwnedHives(adoptDeps, me, entries);
    for (const hive of adopted) await pushHive(hive);
  };
  /** Sends what the act made: the hive feeds first (the charter before anyone reads it), then the actor's. */
  const flush = async (me: PseudonymId) => {
    if (recorded) await syncPrivate(device, me);
    if (engine) {
      try {
        // A request during a run makes one more after it: this waits for every push the act started.
        for (const hive of pending.hives) await engine.request(hive);
        for (const hive of pending.hives)
          if ((await engine.board.status(hive)).queued > 0)
            process.stderr.write(`murmur: the feed of hive ${hive} waits for the next sync\n`);
      } finally {
        await engine.close();
      }
    }
    const sent = await send(device, me);
    const announcements = await deliverInbox(device, me);
    return { ...sent, json: { ...sent.json, announcementsQueued: announcements } };
  };
  return { api, files, flush, adopt, named: () => naming, close: async () => engine?.close() };
}

/** The value of an API result, or its failure thrown with the same name (so the exit code follows it). */
function resultValue<T>(result: { ok: true; value: T } | { ok: false; error: string; message: string }): T {
  if (!result.ok) throw new CoreError(result.error as CoreErrorName, result.message);
  return result.value;
}

/**
 * A hive from what was typed: its link (`https://hub/#/hives/ID?hub=ORIGIN`), or its id with `--hub`, or the id of
 * one this pseudonym made or joined (its hubs known here).
 * @throws CoreError MalformedId, NoHub
 */
export async function hiveAt(context: CommandContext, ref: string, hubs: readonly string[] = []): Promise<HiveAddress> {
  const link = /^(https?:\/\/[^/#?]+)[^#]*#\/hives\/([0-9a-f]{64})(?:\?(.*))?$/.exec(ref);
  if (link) {
    const named = new URLSearchParams(link[3] ?? '').getAll('hub');
    return { hive: link[2] as PseudonymId, hubs: named.length > 0 ? named : [link[1]!] };
  }
  const hive = parsePseudonymId(ref);
  if (hubs.length > 0) return { hive, hubs: [...hubs] };
  const me = actingAs(context);
  const known = (await new HiveFiles(context.device.home).known().list(me.id)).find((r) => r.hive === hive);
  if (!known) throw new CoreError('NoHub', `no hub is known for hive ${hive}: give its link, or --hub URL`);
  return { hive, hubs: known.hubs };
}

/** A pseudonym by id or handle (resolved and checked as a follow's). */
async function memberOf(context: CommandContext, ref: string): Promise<PseudonymId> {
  if (isPseudonymId(ref)) return ref;
  const me = actingAs(context);
  return (await resolveHandle(context.device.deps, ref, { as: me.id })).target;
}

/** The link anyone can open the hive by (the app's route; the command line reads it too). */
export function hiveLink(at: HiveAddress): string {
  const query = at.hubs.map((h) => `hub=${encodeURIComponent(h)}`).join('&');
  return `${at.hubs[0]}/#/hives/${at.hive}?${query}`;
}

export interface NewHiveOptions {
  readonly description?: string;
  readonly rules?: string;
  readonly approval?: boolean;
  readonly listed?: boolean;
  readonly handle?: string;
  readonly hub?: readonly string[];
}

export async function createHive(context: CommandContext, name: string, options: NewHiveOptions): Promise<Answer> {
  const me = actingAs(context);
  const { api, flush } = hivesOf(context);
  const at = resultValue(
    await api.createHive(me.id, {
      name,
      membership: options.approval ? 'approval' : 'open',
      listed: options.listed === true,
      ...(options.description !== undefined && { description: options.description }),
      ...(options.rules !== undefined && { rules: options.rules }),
      ...(options.handle !== undefined && { handle: options.handle }),
      ...(options.hub?.length && { hubs: options.hub }),
    }),
  );
  const sent = await flush(me.id);
  const link = hiveLink(at);
  return { json: { ...at, link, ...sent.json }, text: `Made the hive ${name}. Its link: ${link} ${sent.words}` };
}

type Act = (api: HivesApi, me: PseudonymId, at: HiveAddress) => Promise<unknown>;

/** Runs one act as the acting pseudonym on hive `ref`, sends it, and answers with its ids. */
export async function actInHive(
  context: CommandContext,
  ref: string,
  hubs: readonly string[] | undefined,
  act: Act,
  words: string,
  options: { adopt?: boolean } = {},
): Promise<Answer> {
  const me = actingAs(context);
  const { api, flush, adopt } = hivesOf(context);
  if (options.adopt) await adopt(me.id);
  const at = await hiveAt(context, ref, hubs);
  const acted = resultValue((await act(api, me.id, at)) as Parameters<typeof resultValue>[0]) as object;
  const sent = await flush(me.id);
  return { json: { hive: at.hive, ...acted, ...sent.json }, text: `${words} ${sent.words}` };
}

export const joinHive = (c: CommandContext, ref: string, hubs?: string[]) =>
  actInHive(c, ref, hubs, (api, me, at) => api.joinHive(me, at), 'Joined.');
export const leaveHive = (c: CommandContext, ref: string, hubs?: string[]) =>
  actInHive(c, ref, hubs, (api, me, at) => api.leaveHive(me, at), 'Left.');

/** A moderator's (or, on the owner's home, the owner's) decision. */
export async function moderateHive(
  context: CommandContext,
  ref: string,
  action: string,
  target: string | undefined,
  options: { reason?: string; name?: string; description?: string; rules?: string; hub?: string[] },
): Promise<Answer> {
  let decision: HiveDecision;
  const need = async () => {
    if (target === undefined) throw new CoreError('InvalidField', `hive mod ${action} needs a target`);
    return target;
  };
  if (action === 'approve' || action === 'ban' || action === 'unban')
    decision = { kind: 'member', member: await memberOf(context, await need()), action };
  else if (action === 'add-mod' || action === 'remove-mod')
    decision = {
      kind: 'moderator',
      member: await memberOf(context, await need()),
      action: action === 'add-mod' ? 'add' : 'remove',
    };
  else if (action === 'remove')
    decision = { kind: 'remove', target: (await need()) as never, ...(options.reason && { reason: options.reason }) };
  else if (action === 'settings')
    decision = {
      kind: 'settings',
      settings: {
        ...(options.name !== undefined && { name: options.name }),
        ...(options.description !== undefined && { description: options.description }),
        ...(options.rules !== undefined && { rules: options.rules }),
      },
    };
  else
    throw new CoreError(
      'InvalidField',
      `hive mod ACTION is approve, ban, unban, remove, add-mod, remove-mod or settings`,
    );
  // The owner's word needs the hive's key: a hive made on another device of the owner is taken up first.
  const act: Act = (api, me, at) => api.moderateHive(me, at, decision);
  return actInHive(context, ref, options.hub, act, `Done: ${action}.`, { adopt: true });
}

export { hivesOf, resultValue };
