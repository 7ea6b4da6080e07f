/**
 * What a hub can still link when no request names two pseudonyms (e2e/unlinkability.spec.ts): the TCP
 * connections. The hub here runs with its measurement log (MURMUR_CONNECTION_LOG: one line per request
 * with the connection it came on); one browser profile uses two pseudonyms in turn, as a person would, and
 * restarts; the test counts the connections that carried requests naming A, naming B, and both. Twice: with
 * the hub's default keep-alive timeout (5 s), and with a hub that keeps idle connections open for 5 minutes
 * (as long as Chromium keeps a used idle connection): how long connections live is the hub's choice, not
 * the app's.
 *
 * Then a third time, on a hub with aliases (src/protocol/hub-aliases.ts): each pseudonym sends to a name of
 * its own, so the browser keeps a connection pool for each.
 *
 * It documents what remains (PROTOCOL.md, "What a hub can link"): the figures are in the test's
 * annotations and output, and only what the app makes true is asserted: the log sees each pseudonym's
 * requests (so the counts mean something), no single request names both, and, with aliases, no connection
 * carries requests of both (without them, the same count is the figure that shows linking).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from '@playwright/test';
import type { PseudonymId } from '../src/protocol/ids.ts';
import { countConnections, describeFigures, parseConnectionLog } from './connection-figures.ts';
import { expect, followHandle, onboard, publish, test } from './fixtures.ts';
import { postsOnHub, resolveHandle } from './hub-inspect.ts';
import { startHubProcess } from './hubs.ts';

async function switchTo(page: Page, handle: string): Promise<void> {
  await page.getByLabel('Pseudonym', { exact: true }).selectOption({ label: handle });
  await expect(page.getByTestId('current-handle')).toHaveText(handle);
}

/** Bob's browser profile says this in its User-Agent. */
const BOB_AGENT = 'MurmurTestBob';

const VARIANTS = [
  { name: "the hub's default keep-alive (5 s)", args: [], aliases: undefined },
  // The aliases' control: the same hub without them, where the same count finds connections carrying both.
  { name: 'a hub keeping idle connections 5 minutes', args: ['--keep-alive-timeout', '300000'], aliases: false },
  // Chromium resolves every *.localhost name to loopback itself: a wildcard name with no DNS or certificate.
  {
    name: 'a hub with aliases (*.localhost), keeping idle connections 5 minutes',
    args: ['--aliases', '*.localhost', '--keep-alive-timeout', '300000'],
    aliases: true,
  },
] as const;

for (const variant of VARIANTS) {
  test(`what a hub can link by connection, ${variant.name}: two pseudonyms used in turn, then a restart`, async ({
    browser,
  }) => {
    await measure(browser, variant.name, variant.args, variant.aliases);
  });
}

/** `aliases`: true, asserts no connection carries both; false, that some do (the control); undefined, neither. */
async function measure(browser: Browser, variant: string, hubArgs: readonly string[], aliases: boolean | undefined) {
  const folder = await mkdtemp(join(tmpdir(), 'murmur-e2e-connections-'));
  const logFile = join(folder, 'connections.jsonl');
  const hub = await startHubProcess('measured', hubArgs, { MURMUR_CONNECTION_LOG: logFile });
  try {
    // Bob, in a profile of his own (his connections are his), gives both pseudonyms someone to follow. His
    // requests are told apart by their User-Agent: he fetches both followers' feeds, which links nothing of theirs.
    const bob = await (await browser.newContext({ userAgent: `${BOB_AGENT} Chrome` })).newPage();
    const bobHandle = await onboard(bob, hub, 'Bob', 'bob');
    await publish(bob, 'bob was here');

    const context = await browser.newContext();
    const page = await context.newPage();
    const aliceHandle = await onboard(page, hub, 'Alice', 'alice');
    await publish(page, 'alice speaks');
    await followHandle(page, bobHandle);
    await page.getByRole('button', { name: 'Done' }).click();

    await page.getByRole('button', { name: 'New pseudonym' }).click();
    await page.getByLabel('Display name').fill('Nightowl');
    await page.getByLabel('Handle', { exact: true }).fill('owl');
    await page.getByRole('button', { name: 'Create pseudonym' }).click();
    const owlHandle = `owl@${hub.host}`;
    await expect(page.getByTestId('current-handle')).toHaveText(owlHandle);
    await publish(page, 'owl speaks');
    await followHandle(page, bobHandle);
    await page.getByRole('button', { name: 'Done' }).click();

    for (const handle of [aliceHandle, owlHandle, aliceHandle]) {
      await switchTo(page, handle);
      await publish(page, `${handle.split('@')[0]} again after switching`);
      await expect(page.getByTestId('sync-status')).toHaveText('Synced');
    }
    for (const handle of [owlHandle, aliceHandle]) {
      await switchTo(page, handle);
      await page.getByRole('link', { name: 'Settings' }).click();
      await page.getByRole('checkbox', { name: 'List me in the directory' }).check();
      const id = await resolveHandle(hub.url, handle);
      await expect.poll(async () => JSON.stringify(await (await fetch(`${hub.url}/v1/listings`)).json())).toContain(id);
    }
    // A restart: both pseudonyms' queues are synced as the app starts.
    const restarted = Date.now();
    await page.reload();
    await expect(page.getByTestId('sync-status')).toHaveText('Synced');
    await context.close();

    const alice = await resolveHandle(hub.url, aliceHandle);
    const owl = await resolveHandle(hub.url, owlHandle);
    const marks = async (id: PseudonymId, handle: string) => [
      id,
      `acct:${handle}`,
      `/v1/handles/${handle.split('@')[0]}`,
      ...(await postsOnHub(hub.url, id)).map((p) => p.commit),
    ];
    const both = [await marks(alice, aliceHandle), await marks(owl, owlHandle)] as const;
    // The browser's requests only: this test's own looks at the hub (Node's fetch) are no part of what it measures.
    const lines = parseConnectionLog(await readFile(logFile, 'utf8')).filter(
      (l) => l.userAgent?.includes('Chrome') && !l.userAgent.includes(BOB_AGENT),
    );
    const bobId = await resolveHandle(hub.url, bobHandle);
    const whole = countConnections(lines, both, [bobId]);
    const restart = countConnections(
      lines.filter((line) => line.t >= restarted),
      both,
      [bobId],
    );

    for (const [phase, figures] of [
      ['whole session', whole],
      ['from the restart', restart],
    ] as const) {
      const description = describeFigures(figures);
      test.info().annotations.push({ type: `connections, ${phase}`, description });
      console.log(`connection linkability, ${variant}, ${phase} (A = alice, B = owl): ${description}`);
    }

    // The measurement works: every request has its connection, and each pseudonym's requests are found.
    expect(lines.every((line) => line.connection > 0)).toBe(true);
    expect(whole.naming[0]).toBeGreaterThan(5);
    expect(whole.naming[1]).toBeGreaterThan(5);
    expect(whole.connectionsNaming[0]).toBeGreaterThan(0);
    expect(whole.connectionsNaming[1]).toBeGreaterThan(0);
    // What the app does make true, seen from the hub: no request names both; with aliases, no connection does.
    expect(whole.namingBoth).toBe(0);
    if (aliases) expect({ shared: whole.shared, switches: whole.switches }).toEqual({ shared: 0, switches: 0 });
    if (aliases === false) expect(whole.shared).toBeGreaterThan(0);
  } finally {
    await hub.stop();
    await rm(folder, { recursive: true, force: true });
  }
}
