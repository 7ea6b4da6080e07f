/**
 * Copies our own feed to the pseudonym's other hubs (beyond home), after the
 * home hub holds our tips; what to do at each hub is decideReplica's
 * (replica-plan.ts), run here. For each hub: learn its head of our feed; when it
 * names commits we lack (another device of ours pushed there first), pull
 * them (and copy them to home, which the merge will name), and the next
 * home run merges; otherwise push the blobs it lacks
 * (commits back to its head, their objects, our feed log) and then our head.
 * A reader of that hub never sees a head whose commits it cannot fetch.
 * Storage, keys and hubs are passed in (ReplicaDeps), so a Node client runs
 * the same replication over a store of its own.
 */
import { decodeFeedLog } from '../../src/protocol/feed-log.ts';
import type { CommitId, ObjectId, PseudonymId } from '../../src/protocol/ids.ts';
import { type RequestToSign, signRequest } from '../../src/protocol/request-auth.ts';
import type { CoreStore, HeldCommit } from '../store/core-store.ts';
import type { TipsRow } from '../store/db.ts';
import { CoreError, errorName } from '../errors.ts';
import { type IngestDeps, ingestFeed, verifiedHead } from '../feed/ingest.ts';
import { type KeySource, buildOwnHead } from '../keys/key-source.ts';
import { type ReplicaState, decideReplica } from './replica-plan.ts';

export type ReplicaDeps = IngestDeps & {
  readonly store: CoreStore;
  readonly keys: KeySource;
};

/** What happened at one hub: in step with our tips, or it held commits we pulled (run again to merge). */
export type ReplicaOutcome = 'synced' | 'pulled';

/** Blobs sent of those the hub lacked, after each one (moving hubs shows it). */
export type BlobProgress = (done: number, total: number) => void;

/**
 * Brings `hub` up to `tips`, which the home hub `home` holds. `withLog: false` leaves our feed log out (the head
 * then names none): for tips older than our newest commits (a pointer left late), whose hub must not be sent a
 * log listing commits it will never get.
 * @throws what the hub or the network throws (the caller reports it).
 */
export async function replicateTo(
  deps: ReplicaDeps,
  pseudonym: PseudonymId,
  home: string,
  hub: string,
  tips: Pick<TipsRow, 'heads' | 'seq'>,
  onProgress?: BlobProgress,
  options: { readonly withLog?: boolean } = {},
): Promise<ReplicaOutcome> {
  const json = (await deps.hub(hub, pseudonym).getHeads([pseudonym]))[pseudonym];
  const theirs = json ? (await verifiedHead(json, pseudonym, deps.verify)).head : undefined;
  let state: ReplicaState = { tips, theirs, held: undefined };
  for (;;) {
    const step = decideReplica(state);
    switch (step.type) {
      case 'synced':
        return 'synced';
      case 'look-up':
        state = { ...state, held: await deps.store.holdsAll(pseudonym, step.heads) };
        continue;
      case 'pull': {
        await ingestFeed(deps, pseudonym, { hubs: [hub], head: json!, as: pseudonym });
        // Home lacks what the other device pushed only here; the merge will name it, so it goes home first.
        const pulled = await commitsBack(deps.store, pseudonym, step.heads, new Set(tips.heads));
        await pushBlobs(deps, pseudonym, home, pulled, []);
        return 'pulled';
      }
      case 'push':
        return pushHead(deps, pseudonym, hub, tips, step.since, onProgress, options.withLog ?? true);
    }
  }
}

/** Sends our commits above `since` (their blobs, our log) and then our head to `hub`. */
async function pushHead(
  deps: ReplicaDeps,
  pseudonym: PseudonymId,
  hub: string,
  tips: Pick<TipsRow, 'heads' | 'seq'>,
  since: readonly CommitId[],
  onProgress: BlobProgress | undefined,
  withLog: boolean,
): Promise<ReplicaOutcome> {
  const log = withLog ? await deps.store.findOwnLog(pseudonym) : undefined;
  await pushBlobs(
    deps,
    pseudonym,
    hub,
    await commitsBack(deps.store, pseudonym, tips.heads, new Set(since)),
    await logSegments(deps.store, pseudonym, log),
    onProgress,
  );
  const head = await buildOwnHead(deps.keys, pseudonym, {
    heads: tips.heads,
    seq: tips.seq,
    ts: deps.now(),
    ...(log && { log }),
  });
  try {
    await deps.hub(hub, pseudonym).putHead(pseudonym, head.bytes);
  } catch (error) {
    // Another device moved that hub's head meanwhile: the next run learns it.
    if (errorName(error) === 'StaleHead') return 'pulled';
    throw error;
  }
  return 'synced';
}

/** PUTs the blobs of `commits` (and `more`) that `hub` lacks, each request signed by the key this device holds. */
export async function pushBlobs(
  deps: ReplicaDeps,
  pseudonym: PseudonymId,
  hub: string,
  commits: readonly HeldCommit[],
  more: readonly ObjectId[],
  onProgress?: BlobProgress,
): Promise<void> {
  const client = deps.hub(hub, pseudonym);
  const secretKey = await deps.keys.getSecretKey(pseudonym);
  const missing = await client.missingBlobs([...new Set([...commits.flatMap((c) => [c.id, ...c.objects]), ...more])]);
  const bytes = await deps.store.findBlobs(pseudonym, missing);
  const sign = (req: RequestToSign) => signRequest(secretKey, req);
  onProgress?.(0, missing.length);
  for (const [i, id] of missing.entries()) {
    const blob = bytes.get(id);
    if (!blob) throw new CoreError('NotFound', `blob ${id} of our feed is not on this device`);
    await client.putBlob(id, blob, sign, deps.now());
    onProgress?.(i + 1, missing.length);
  }
}

/** Our commits from `tips` back to (not including) `known`, a layer of parents per read. */
async function commitsBack(
  store: CoreStore,
  pseudonym: PseudonymId,
  tips: readonly CommitId[],
  known: ReadonlySet<CommitId>,
): Promise<HeldCommit[]> {
  const seen = new Set<CommitId>(known);
  const found: HeldCommit[] = [];
  let layer = tips.filter((id) => !seen.has(id));
  while (layer.length > 0) {
    for (const id of layer) seen.add(id);
    const rows = await store.findCommits(pseudonym, layer);
    found.push(...rows);
    layer = [...new Set(rows.flatMap((r) => r.parents))].filter((id) => !seen.has(id));
  }
  return found;
}

/** Every segment of our feed log, newest first (a new hub needs them all; missingBlobs drops what it holds). */
async function logSegments(
  store: CoreStore,
  pseudonym: PseudonymId,
  newest: ObjectId | undefined,
): Promise<ObjectId[]> {
  const ids: ObjectId[] = [];
  for (let id = newest; id; ) {
    ids.push(id);
    const bytes = (await store.findBlobs(pseudonym, [id])).get(id);
    id = bytes ? decodeFeedLog(bytes, id).value.prev : undefined;
  }
  return ids;
}
