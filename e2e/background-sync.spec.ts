/**
 * Queued posts leave without an open tab (workers/sync/handoff.ts): posts made
 * offline, the tab closed while still offline, the network back, and a
 * follower on another hub receives every post, once, with the app never
 * opened again.
 *
 * Headless Chromium does not fire Background Sync by itself when an
 * emulated network comes back, nor grant Periodic Background Sync to an app
 * that is not installed, so the test fires the service worker's event as the
 * browser would, through DevTools (ServiceWorker.dispatchSyncEvent or
 * dispatchPeriodicSyncEvent), from a blank page of the same profile: no
 * window of the app is open, so the service worker finds no page to wake and
 * pushes alone.
 */
import type { CDPSession } from '@playwright/test';
import { expect, followHandle, onboard, postWithBody, publish, test, waitForServiceWorker } from './fixtures.ts';
import { postsOnHub, resolveHandle } from './hub-inspect.ts';

/** The service worker registration of `origin`, as DevTools names it. */
async function registrationOf(cdp: CDPSession, origin: string): Promise<string> {
  const found = new Promise<string>((resolve) => {
    cdp.on('ServiceWorker.workerRegistrationUpdated', ({ registrations }) => {
      const mine = registrations.find((r) => r.scopeURL === `${origin}/` && !r.isDeleted);
      if (mine) resolve(mine.registrationId);
    });
  });
  await cdp.send('ServiceWorker.enable');
  return found;
}

for (const event of ['sync', 'periodic sync'] as const)
  test(`posts queued offline reach a follower after the tab is closed, with no app page open (${event})`, async ({
    browser,
    hubA,
    hubB,
  }) => {
    const aliceContext = await browser.newContext();
    // Only the event under test may push: with a one-shot sync registered, Chromium fires it too whenever the
    // service worker wakes with the network back, so for the periodic case the page sees no SyncManager.
    if (event === 'periodic sync') {
      await aliceContext.addInitScript(() =>
        Object.defineProperty(ServiceWorkerRegistration.prototype, 'sync', { get: () => undefined }),
      );
    }
    const alice = await aliceContext.newPage();
    const handle = await onboard(alice, hubA, 'Alice', 'alice');
    const me = await resolveHandle(hubA.url, handle);
    await waitForServiceWorker(alice);
    const bob = await (await browser.newContext()).newPage();
    await onboard(bob, hubB, 'Bob', 'bob');
    await followHandle(bob, handle);
    await bob.getByRole('button', { name: 'Done' }).click();

    await aliceContext.setOffline(true);
    await expect(alice.getByTestId('sync-status')).toContainText('Offline');
    const bodies = ['written offline 1', 'written offline 2', 'written offline 3'];
    for (const body of bodies) await publish(alice, body);
    await expect(alice.getByTestId('sync-status')).toContainText('3 queued');
    // The core worker has left the three signed for the service worker.
    await expect
      .poll(() =>
        alice.evaluate(
          () =>
            new Promise<number>((resolve, reject) => {
              const open = indexedDB.open('murmur-handoff');
              open.onerror = () => reject(open.error);
              open.onsuccess = () => {
                const all = open.result.transaction('handoffs').objectStore('handoffs').getAll();
                all.onsuccess = () =>
                  resolve((all.result as { commits: string[] }[]).reduce((n, h) => n + h.commits.length, 0));
                all.onerror = () => reject(all.error);
              };
            }),
        ),
      )
      .toBe(3);
    await alice.close(); // still offline: nothing left
    expect(await postsOnHub(hubA.url, me)).toEqual([]);

    await aliceContext.setOffline(false);
    const blank = await aliceContext.newPage(); // about:blank: not a page of the app
    const cdp = await aliceContext.newCDPSession(blank);
    const registrationId = await registrationOf(cdp, hubA.url);
    if (event === 'sync')
      await cdp.send('ServiceWorker.dispatchSyncEvent', {
        origin: hubA.url,
        registrationId,
        tag: 'murmur-outbox',
        lastChance: false,
      });
    else
      await cdp.send('ServiceWorker.dispatchPeriodicSyncEvent', {
        origin: hubA.url,
        registrationId,
        tag: 'murmur-outbox',
      });

    for (const body of bodies) await expect(postWithBody(bob, body)).toHaveCount(1);
    expect((await postsOnHub(hubA.url, me)).map((p) => p.body).sort()).toEqual(bodies); // each once
    expect(aliceContext.pages().map((p) => p.url())).toEqual(['about:blank']); // the app was never opened again
  });
