/** Two tabs over one database: a mute or a draft made in one tab is seen, and applied to views, in the other. */
import { afterEach, beforeEach, expect, test } from 'vitest';
import { type TestHub, startTestHub } from '../../src/hub/testing/hub-fixture.ts';
import type { Change } from '../api/api-types.ts';
import { type Device, openDevice } from '../testing/device.ts';
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

async function openTabs(n: number): Promise<Device[]> {
  const opened = await openProfileTabs(`murmur-private-tabs-${process.pid}-${run}`, n);
  tabs.push(...opened);
  return opened;
}

test('a mute in one tab hides the post in the other tab, with a notice to ask again', async () => {
  const [first, second] = await openTabs(2);
  const me = await first!.api.createPseudonym({ name: 'Alice', homeHub: hub.url });
  await first!.api.post(me.id, 'a post about spoilers');
  await first!.api.post(me.id, 'a quiet post');
  const bodies = async () => (await second!.api.listTimeline(me.id, { limit: 10 })).map((i) => i.body).sort();
  // the second tab has read its document already
  expect(await bodies()).toEqual(['a post about spoilers', 'a quiet post']);

  const notices: Change[] = [];
  await second!.api.subscribe((c) => void notices.push(c));
  const muted = await first!.api.setMute(me.id, 'word', 'spoilers', true);
  expect(muted.ok).toBe(true);
  await waitFor(
    'the other tab notices',
    () => notices.filter((n) => n.kind === 'private').length,
    (n) => n > 0,
  );
  expect(await bodies()).toEqual(['a quiet post']);

  await first!.api.saveDraft(me.id, { id: 'home-x', body: 'typed in the first tab' });
  await waitFor(
    'the draft in the other tab',
    () => second!.api.listDrafts(me.id),
    (d) => d.length === 1 && d[0]!.body === 'typed in the first tab',
  );
});

test('a change stored by a tab that does not sync is pushed by the one that does, even before its notice', async () => {
  const [first] = await openTabs(1);
  const me = await first!.api.createPseudonym({ name: 'Alice', homeHub: hub.url });
  expect(await first!.api.listDrafts(me.id)).toEqual([]); // the first tab has its document in memory
  // The second tab shares the database but its notice never reaches the first (a message still on its way).
  const second = await openDevice({
    dbName: `murmur-private-tabs-${process.pid}-${run}`,
    deps: { privateSync: { pollMs: 600_000, pushDelayMs: 600_000 } },
  });
  tabs.push(second);
  second.net.down = true; // and it cannot reach the hub: only the first tab can push
  await second.api.saveDraft(me.id, { id: 'from-second', body: 'written in the second tab' });
  await first!.api.syncNow(me.id);
  // A third device (a fresh database) with the same key reads the hub.
  const row = (await first!.db.get('pseudonyms', me.id))!;
  const other = await openDevice({
    pseudonyms: [row],
    deps: { privateSync: { pollMs: 600_000, pushDelayMs: 600_000 } },
  });
  tabs.push(other);
  await other.api.syncNow(me.id);
  expect((await other.api.listDrafts(me.id)).map((d) => d.body)).toEqual(['written in the second tab']);
});
