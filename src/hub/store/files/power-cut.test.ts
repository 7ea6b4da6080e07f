/**
 * Power loss, which the kill -9 tests cannot show (crash.test.ts: the page
 * cache survives a kill): the file store runs over node:fs/promises wrapped
 * by testing/power-cut.ts, which keeps of each file only what was fsynced.
 * Writers put small blobs (segments), large blobs (a file each) and heads
 * at once; the power is cut in place of the n-th sync of unsynced data (n
 * from 1 to 6), with writes acknowledged and others in flight; a store
 * opened on what is left must hold every acknowledged write. The control
 * cuts once all are acknowledged, with fsync promising nothing, and must
 * lose acknowledged writes, or the cut proves nothing.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, test, vi } from 'vitest';
import { buildHead } from '../../../protocol/heads.ts';
import { type CommitId, type ObjectId, type PseudonymId, hashBytes } from '../../../protocol/ids.ts';
import { secretKeyFrom } from '../../../protocol/keys.ts';
import type { PowerCut } from '../../testing/power-cut.ts';
import { openFileHubStore } from './file-hub-store.ts';

const power = vi.hoisted(() => ({ cut: undefined as PowerCut | undefined }));
vi.mock('node:fs/promises', async (importOriginal) => {
  const { PowerCut } = await import('../../testing/power-cut.ts');
  power.cut = new PowerCut();
  return power.cut.wrap(await importOriginal());
});

const LIMITS = { quotaBytes: 0, addressBytes: 0, diskBytes: 0 };
const dirs: string[] = [];
afterEach(async () => {
  power.cut!.honourSync = true;
  power.cut!.cutAtSync = undefined;
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

interface Outcome {
  readonly acknowledged: number;
  readonly lost: string[];
}

/** Writes at once, cuts the power in place of the `at`-th sync, reopens, and lists acknowledged writes lost. */
async function runAndCut(at: number): Promise<Outcome> {
  const cut = power.cut!;
  const dir = await mkdtemp(join(tmpdir(), 'murmur-power-cut-'));
  dirs.push(dir);
  cut.syncs = 0;
  const blobs = Array.from({ length: 40 }, (_, i) => {
    const bytes = new Uint8Array(i % 10 === 9 ? 70_000 + i : 200 + i * 37).fill(i + 1); // every tenth in a file
    return { id: hashBytes(bytes), bytes };
  });
  const heads = Array.from({ length: 20 }, (_, i) => {
    const key = secretKeyFrom(new Uint8Array(32).fill(i + 1));
    const tip = hashBytes(new TextEncoder().encode(`tip ${i}`)) as CommitId;
    return buildHead(key, { heads: [tip], seq: 1 + i, ts: 1_700_000_000_000 + i });
  });
  // Each acknowledged write, as a check that the reopened store still holds it.
  const acked: (() => Promise<string | undefined>)[] = [];
  let reopened: Awaited<ReturnType<typeof openFileHubStore>> | undefined;
  const blobHeld = (b: (typeof blobs)[number]) => async () =>
    (await reopened!.blobs.find(b.id))?.length === b.bytes.length ? undefined : `blob ${b.id}`;
  const headHeld = (h: (typeof heads)[number]) => async () => {
    const held = (await reopened!.heads.findHeads([h.head.author as PseudonymId])).get(h.head.author);
    return held?.signed.head.seq === h.head.seq ? undefined : `head of ${h.head.author}`;
  };
  const store = await cut.run(() => openFileHubStore(dir, LIMITS));
  const cutDone = new Promise<void>((done) => {
    cut.cutAtSync = { at: cut.syncs + at, dir, done };
  });
  const writes = await cut.run(async () => [
    ...blobs.map((b) => store.blobs.put(b.id as ObjectId, b.bytes).then(() => acked.push(blobHeld(b)))),
    ...heads.map((h) => store.heads.putHead(h).then(() => acked.push(headHeld(h)))),
  ]);
  // Fewer syncs than `at` (all in a few group commits): the cut comes after the last write instead.
  await Promise.race([cutDone, Promise.all(writes)]);
  if (cut.cutAtSync) {
    cut.cutAtSync = undefined;
    cut.cut(dir);
  }
  reopened = await cut.run(() => openFileHubStore(dir, LIMITS));
  try {
    // Every write acknowledged, even after the cut (its last file operation came before it), must be held.
    const lost = (await Promise.all(acked.map((check) => check()))).filter((l): l is string => l !== undefined);
    return { acknowledged: acked.length, lost };
  } finally {
    await reopened.close();
  }
}

test('a power cut while writes are in flight loses nothing acknowledged, wherever it lands', async () => {
  let acknowledged = 0;
  for (const at of [1, 2, 3, 4, 6]) {
    const outcome = await runAndCut(at);
    expect(outcome.lost, `cut at sync ${at}`).toEqual([]);
    acknowledged += outcome.acknowledged;
  }
  // The runs prove something only if writes were acknowledged before cuts that threw unsynced data away.
  expect(acknowledged).toBeGreaterThan(20);
});

test('control: a cut with fsync promising nothing loses acknowledged writes', async () => {
  power.cut!.honourSync = false;
  const outcome = await runAndCut(Number.POSITIVE_INFINITY); // after every write is acknowledged
  expect(outcome.acknowledged).toBe(60);
  expect(outcome.lost.length).toBeGreaterThan(0);
});
