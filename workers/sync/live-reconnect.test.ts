/** The outbox runs when the live stream to the home hub reconnects, not only on its own backoff timer. */
import { afterEach, beforeEach, expect, test } from 'vitest';
import { type TestHub, startTestHub } from '../../src/hub/testing/hub-fixture.ts';
import { type Device, openDevice } from '../testing/device.ts';
import { headOnHub } from '../testing/hub-inspect.ts';
import { waitFor } from '../testing/wait.ts';

let hub: TestHub;
let d: Device;
beforeEach(async () => {
  hub = await startTestHub();
  // The outbox's own retry waits a minute: only the reconnect can explain a push within the test.
  d = await openDevice({
    deps: { retry: { baseMs: 60_000, maxMs: 60_000 }, streamBackoff: { baseMs: 20, maxMs: 50 } },
  });
});
afterEach(async () => {
  await d.close();
  await hub.stop();
});

test('a post queued while the hub was unreachable goes out as soon as the stream reconnects', async () => {
  const alice = await d.api.createPseudonym({ name: 'Alice', homeHub: hub.url });
  await d.api.setActive(alice.id);
  await waitFor('the stream', () => d.net.streams.length > 0);
  d.net.down = true;
  const posted = await d.api.post(alice.id, 'written while the hub was away');
  expect(posted.ok).toBe(true);
  await waitFor(
    'the failed push',
    () => d.api.getSyncStatus(alice.id),
    (s) => s.queued === 1 && s.state !== 'syncing',
  );
  expect(await headOnHub(hub.url, alice.id)).toBeUndefined();

  // The hub restarts (ending the stream); while the network is down, reconnecting fails.
  hub = await hub.restart();
  const streamsBefore = d.net.streams.length;
  d.net.down = false;
  await waitFor(
    'synced after the reconnect',
    () => d.api.getSyncStatus(alice.id),
    (s) => s.state === 'synced',
  );
  expect(d.net.streams.length).toBeGreaterThan(streamsBefore);
  expect((await headOnHub(hub.url, alice.id))?.seq).toBe(1);
});
