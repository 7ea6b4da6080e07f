/**
 * Many tabs over one database (each its own worker): one leads a pseudonym's
 * sync (Web Locks, here a fake shared by the "tabs"), the others send nothing
 * for it yet see every change (BroadcastChannel), and commits made in all
 * tabs at once form one linear history with no post lost or doubled.
 */
import { afterEach, beforeEach, expect, test } from 'vitest';
import type { PseudonymId } from '../../src/protocol/ids.ts';
import { type TestHub, startTestHub } from '../../src/hub/testing/hub-fixture.ts';
import type { Change } from '../api/api-types.ts';
import { feedOnHub } from '../testing/hub-inspect.ts';
import type { Device } from '../testing/device.ts';
import { openProfileTabs } from '../testing/tabs.ts';
import { waitFor } from '../testing/wait.ts';

let hub: TestHub;
const tabs: Device[] = [];
let run = 0;
beforeEach(async () => {
  hub = await startTestHub();
  run++;
});
afterEach(async () => {
  await Promise.all(tabs.splice(0).map((t) => t.close()));
  await hub.stop();
});

/** `n` tabs of one browser profile: one database, one lock manager, one channel name. */
async function openTabs(n: number): Promise<Device[]> {
  const opened = await openProfileTabs(`murmur-tabs-${process.pid}-${run}`, n);
  tabs.push(...opened);
  return opened;
}

const pushes = (t: Device) => t.net.log.filter((l) => l.startsWith('PUT ')).length;

test('one tab leads, streams, pushes; another posts, sends nothing, sees it synced; lead passes on close', async () => {
  const [first, second] = await openTabs(2);
  const me = await first!.api.createPseudonym({ name: 'Alice', homeHub: hub.url });
  await first!.api.setActive(me.id);
  await second!.api.setActive(me.id);
  await waitFor(
    'a stream from the leading tab',
    () => first!.net.streams.length,
    (n) => n > 0,
  );
  const notices: Change[] = [];
  await second!.api.subscribe((c) => void notices.push(c));

  const before = pushes(second!);
  expect(await second!.api.post(me.id, 'from the second tab')).toMatchObject({ ok: true });
  await waitFor(
    'the post on the hub',
    async () => (await feedOnHub(hub.url, me.id)).posts.map((p) => p.body),
    (b) => b.includes('from the second tab'),
  );
  await waitFor(
    'synced in the second tab',
    () => second!.api.getSyncStatus(me.id),
    (s) => s.state === 'synced' && s.queued === 0,
  );
  expect(pushes(second!)).toBe(before);
  expect(second!.net.streams).toHaveLength(0);
  expect(notices).toContainEqual({ kind: 'timeline', pseudonym: me.id });

  // The leader ingests another device's post (a follow-up on the hub): the second tab hears of it.
  const seen = notices.length;
  expect(await first!.api.post(me.id, 'from the first tab')).toMatchObject({ ok: true });
  await waitFor(
    'a notice in the second tab',
    () => notices.length,
    (n) => n > seen,
  );
  expect((await second!.api.listTimeline(me.id, { limit: 10 })).map((i) => i.body)).toContain('from the first tab');

  await first!.close();
  tabs.splice(tabs.indexOf(first!), 1);
  await waitFor(
    'the second tab takes the lead and streams',
    () => second!.net.streams.length,
    (n) => n > 0,
  );
  expect(await second!.api.post(me.id, 'after the first tab closed')).toMatchObject({ ok: true });
  await waitFor(
    'pushed by the new leader',
    async () => (await feedOnHub(hub.url, me.id)).posts.length,
    (n) => n === 3,
  );
  expect(pushes(second!)).toBeGreaterThan(before);
});

test('four tabs post five times each at once: each post once on the hub, a linear history (no seq twice)', async () => {
  const all = await openTabs(4);
  const me = await all[0]!.api.createPseudonym({ name: 'Alice', homeHub: hub.url });
  await Promise.all(all.map((t) => t.api.setActive(me.id)));
  const bodies = all.flatMap((_, t) => Array.from({ length: 5 }, (_, i) => `tab ${t} post ${i}`));
  const results = await Promise.all(
    all.flatMap((tab, t) => Array.from({ length: 5 }, (_, i) => tab.api.post(me.id, `tab ${t} post ${i}`))),
  );
  expect(results.every((r) => r.ok)).toBe(true);

  const feed = await waitFor(
    'all on the hub',
    () => feedOnHub(hub.url, me.id),
    (f) => f.posts.length >= bodies.length,
  );
  expect(feed.posts.map((p) => p.body).sort()).toEqual([...bodies].sort());
  const seqs = await Promise.all(feed.commits.map(async (id) => (await all[0]!.db.get('commits', id))!.seq));
  expect(new Set(seqs).size).toBe(seqs.length);
  expect(Math.max(...seqs)).toBe(feed.commits.length); // 1..n: no merges were needed
  for (const tab of all) {
    await waitFor(
      'synced everywhere',
      () => tab.api.getSyncStatus(me.id as PseudonymId),
      (s) => s.state === 'synced',
    );
  }
});
