/**
 * Issue 17's end-to-end test: the command line and the app as two devices of one network, all real processes.
 * Hub A and hub B are `node dist/hub/main.js` on 127.0.0.1; Carol uses `node dist/cli/murmur.js` (her own
 * MURMUR_HOME) on hub A; Dana uses the app in Chromium on hub B. They follow each other by handle, and what one
 * does the other sees, in words on screen or in the command line's JSON: posts, replies and reactions (DMs and
 * agents: cli-app-agents.spec.ts). Last, Dana on both: the app's backup imported by the command line, posts made
 * apart on each, merged once.
 */
import type { Browser, Page } from '@playwright/test';
import AxeBuilder from './axe.ts';
import { type CliPost, type CliUser, type Sent, expect, test } from './cli.ts';
import { meet, thread, timeline } from './cli-meet.ts';
import { onboard, postWithBody, publish } from './fixtures.ts';
import type { PseudonymId } from '../src/protocol/ids.ts';
import { commitsOnHub, postsOnHub, resolveHandle } from './hub-inspect.ts';
import type { HubProcess } from './hubs.ts';

test('the command line’s post reaches the app by name; the app’s reply and reaction reach the command line', async ({
  browser,
  cli,
  hubA,
  hubB,
}) => {
  const { app, carol, dana } = await meet(browser, cli, hubA, hubB);

  // Carol names herself (init's --name is this home's label, as the app's onboarding name is its own: a name
  // others see is a profile field); the command line posts; the app shows it live, by her name, verified.
  expect((await cli.json<Sent>(['profile', 'set', '--name', 'Carol Shell'])).sent).toBe(true);
  const first = await cli.json<{ id: string } & Sent>(['post', 'hello from a shell']);
  expect(first.sent).toBe(true);
  const onApp = postWithBody(app, 'hello from a shell');
  await expect(onApp).toHaveCount(1);
  await expect(onApp.getByTestId('post-author')).toHaveText(carol.handle);
  await expect(onApp.getByTestId('post-name')).toHaveText('Carol Shell');
  await expect(onApp.getByTestId('verified')).toBeVisible();

  // The app replies and reacts; the command line's thread shows both, by Dana.
  await onApp.getByRole('button', { name: 'Add reaction' }).click();
  await app.getByRole('button', { name: 'React thumbs up' }).click();
  await expect(onApp.getByRole('button', { name: 'thumbs up: 1' })).toHaveAttribute('aria-pressed', 'true');
  await onApp.getByRole('button', { name: 'Reply' }).click();
  await app.getByLabel('Reply text').fill('a reply from the app');
  await app.getByRole('button', { name: 'Send reply' }).click();
  await expect(app.getByRole('dialog')).toHaveCount(0);
  await expect
    .poll(async () =>
      (await thread(cli, first.id)).map((p) => ({ body: p.body, author: p.author, depth: p.depth, re: p.reactions })),
    )
    .toEqual([
      { body: 'hello from a shell', author: carol.id, depth: 0, re: { '👍': [dana.id] } },
      { body: 'a reply from the app', author: dana.id, depth: 1, re: {} },
    ]);
  const reply = (await timeline(cli)).find((p) => p.body === 'a reply from the app');
  expect(reply).toMatchObject({ handle: dana.handle, replyTo: first.id });
  expect(await new AxeBuilder(app).seriousViolations()).toEqual([]); // a timeline with a command line's post
});

test('the app’s post reaches the command line; its reply and reaction reach the app', async ({
  browser,
  cli,
  hubA,
  hubB,
}) => {
  const { app, carol, dana } = await meet(browser, cli, hubA, hubB);
  await publish(app, 'hello from the app');
  let seen: CliPost[] = [];
  await expect
    .poll(async () => (seen = (await timeline(cli)).filter((p) => p.body === 'hello from the app')))
    .toHaveLength(1);
  const appPost = seen[0]!;
  expect(appPost).toMatchObject({ author: dana.id, handle: dana.handle });
  expect((await cli.json<Sent>(['react', appPost.id, '🎉'])).sent).toBe(true);
  expect((await cli.json<Sent>(['post', 'a reply from a shell', '--reply', appPost.id])).sent).toBe(true);
  const mine = postWithBody(app, 'hello from the app');
  await expect(mine.getByRole('button', { name: 'party: 1' })).toHaveAttribute('aria-pressed', 'false');
  const answer = postWithBody(app, 'a reply from a shell');
  await expect(answer).toHaveCount(1);
  await mine.getByRole('link', { name: /open thread/ }).click();
  const replies = app.getByRole('list', { name: 'Replies in this thread' });
  await expect(replies.getByTestId('post-body')).toHaveText(['hello from the app', 'a reply from a shell']);
  await expect(replies.getByTestId('post').nth(1).getByTestId('post-author')).toHaveText(carol.handle);
  expect(await new AxeBuilder(app).seriousViolations()).toEqual([]);
});

/**
 * In the page: the first moment (Date.now(), the clock this process reads too) the timeline shows the post whose
 * body is `body` as sent, i.e. without its "Queued" mark (item.queued: the home hub has not acknowledged it).
 */
async function watchSent(app: Page, body: string): Promise<() => Promise<number | undefined>> {
  const key = `sent:${body}`;
  await app.evaluate(
    ({ body, key }) => {
      const marks = window as unknown as Record<string, number>;
      const look = () => {
        const posts = document.querySelectorAll('ol[aria-label="Timeline"] [data-testid="post"]');
        for (const post of posts) {
          const shown = post.querySelector('[data-testid="post-body"]')?.textContent;
          if (shown === body && !post.querySelector('[data-testid="queued"]')) {
            marks[key] = Date.now();
            observer.disconnect();
          }
        }
      };
      const observer = new MutationObserver(look);
      observer.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
    },
    { body, key },
  );
  return () => app.evaluate((key) => (window as unknown as Record<string, number | undefined>)[key], key);
}

test('timeline --follow prints the app’s post within 1 s of its hub acknowledging it', async ({
  browser,
  cli,
  hubA,
  hubB,
}) => {
  const { app, dana } = await meet(browser, cli, hubA, hubB);
  await publish(app, 'before the stream');
  const stream = cli.follow();
  await stream.live; // every event stream open: from here a head event reaches it
  expect(stream.stderr()).toContain('Live: streaming 2 feeds'); // Carol's own feed and Dana's
  // Printed before the streams open, but stdout and stderr are two pipes: which this process reads first is open.
  await expect.poll(() => stream.arrivals.map((a) => a.post.body)).toEqual(['before the stream']);

  const sentAt = await watchSent(app, 'live from the app');
  await publish(app, 'live from the app');
  await expect.poll(sentAt, { message: 'the app shows the post as sent' }).toBeDefined();
  const arrived = () => stream.arrivals.filter((a) => a.post.body === 'live from the app');
  await expect.poll(() => arrived().length, { message: stream.stderr() }).toBe(1);
  expect(arrived()[0]!.post).toMatchObject({ author: dana.id, handle: dana.handle });
  const lag = arrived()[0]!.at - (await sentAt())!;
  test.info().annotations.push({ type: 'lag', description: `${lag} ms` });
  expect(lag, `NDJSON line ${lag} ms after the app showed the post as sent`).toBeLessThanOrEqual(1000);
  expect(await stream.stop()).toBe(0);
});

test('a post made while its hub is down goes out once, after sync; the app sees one copy', async ({
  browser,
  cli,
  hubA,
  hubB,
}) => {
  const { app, carol } = await meet(browser, cli, hubA, hubB);
  await hubA.halt();
  const offline = await cli.run(['post', 'written while hub A was down', '--json']);
  expect(offline.code, offline.stderr).toBe(0);
  expect(offline.json()).toMatchObject({ sent: false, queued: 1 });
  const refused = await cli.run(['sync', '--json']);
  expect(refused.code).toBe(3); // still down: said, and still queued
  expect(refused.json()).toMatchObject({ state: 'unreachable', queued: 1 });

  await hubA.resume();
  expect(await cli.json(['sync'])).toMatchObject({ state: 'synced', queued: 0 });
  const onHub = async () => (await postsOnHub(hubA.url, carol.id as PseudonymId)).map((p) => p.body);
  expect(await onHub()).toEqual(['written while hub A was down']);
  await expect(postWithBody(app, 'written while hub A was down')).toHaveCount(1);

  // A second sync sends nothing again: the hub still holds one copy, and the app, once it shows a later post,
  // still shows one.
  expect(await cli.json(['sync'])).toMatchObject({ state: 'synced', queued: 0 });
  expect((await cli.json<Sent>(['post', 'after the second sync'])).sent).toBe(true);
  await expect(postWithBody(app, 'after the second sync')).toHaveCount(1);
  await expect(postWithBody(app, 'written while hub A was down')).toHaveCount(1);
  expect((await onHub()).sort()).toEqual(['after the second sync', 'written while hub A was down']);
  await app.reload();
  await expect(postWithBody(app, 'after the second sync')).toHaveCount(1);
  await expect(postWithBody(app, 'written while hub A was down')).toHaveCount(1);
});

/**
 * Dana made in the app on hub B with one post, then carried to the command line by the app's backup (locked with
 * the passphrase this home's keys share) and synced there: one pseudonym, two devices.
 */
async function shareDana(browser: Browser, cli: CliUser, hubB: HubProcess) {
  const context = await browser.newContext({ acceptDownloads: true });
  const app = await context.newPage();
  const handle = await onboard(app, hubB, 'Dana', 'dana');
  const dana = await resolveHandle(hubB.url, handle);
  await publish(app, 'before the backup');
  await expect.poll(async () => (await postsOnHub(hubB.url, dana)).length).toBe(1);

  await app.getByRole('link', { name: 'Settings' }).click();
  await app.getByLabel('Passphrase for the backup').fill(cli.passphrase);
  const [download] = await Promise.all([
    app.waitForEvent('download'),
    app.getByRole('button', { name: 'Export backup' }).click(),
  ]);
  const file = test.info().outputPath('dana.murmur');
  await download.saveAs(file);
  expect(await cli.json(['import', file])).toMatchObject({ id: dana, handle, hubs: [hubB.url] });
  expect(await cli.json(['sync'])).toMatchObject({ state: 'synced', queued: 0 });
  expect((await timeline(cli)).map((p) => p.body)).toEqual(['before the backup']);
  await app.getByRole('link', { name: 'Home' }).click();
  return { context, app, dana };
}

/**
 * After both devices synced: each of `bodies` once on the hub, in the command line's timeline and in the app; the
 * hub holds one merge commit, and the feed as the command line holds it (its seq is the hub's; nothing queued).
 */
async function expectOnceEverywhere(app: Page, cli: CliUser, hubB: HubProcess, dana: PseudonymId, bodies: string[]) {
  const all = bodies.toSorted();
  expect((await postsOnHub(hubB.url, dana)).map((p) => p.body).sort()).toEqual(all);
  const merges = (await commitsOnHub(hubB.url, dana)).filter((c) => c.commit.parents.length > 1);
  expect(merges).toHaveLength(1);
  expect((await timeline(cli)).map((p) => p.body).sort()).toEqual(all);
  const hubs = await cli.json<{ seq: number; hubs: { seq: number }[] }>(['hubs']);
  expect(hubs.hubs.map((h) => h.seq)).toEqual([hubs.seq]);
  expect(await cli.json(['status'])).toMatchObject({ queued: 0, seq: hubs.seq });
  for (const body of all) await expect(postWithBody(app, body)).toHaveCount(1);
  await expect(app.getByRole('list', { name: 'Timeline' }).getByTestId('post')).toHaveCount(all.length);
}

test('one pseudonym on both: the app’s posts stream to the command line; it sends first, the app merges', async ({
  browser,
  cli,
  hubB,
}) => {
  const { context, app, dana } = await shareDana(browser, cli, hubB);

  // The command line's live timeline streams its own feed from the home hub: a post from the app shows there.
  const stream = cli.follow();
  await stream.live;
  expect(stream.stderr()).toContain('Live: streaming 1 feeds');
  await publish(app, 'while the shell streams');
  const streamed = () => stream.arrivals.map((a) => a.post.body);
  await expect.poll(streamed, { message: stream.stderr() }).toEqual(['before the backup', 'while the shell streams']);
  expect(await stream.stop()).toBe(0);

  // Neither reaches hub B while both post; the command line sends first when it is back, so the app merges.
  await context.setOffline(true);
  await hubB.halt();
  await expect(app.getByTestId('sync-status')).toContainText('Offline');
  const [, fromShell] = await Promise.all([
    (async () => {
      await publish(app, 'app, apart 1');
      await publish(app, 'app, apart 2');
    })(),
    (async () => [
      await cli.json<Sent>(['post', 'shell, apart 1']),
      await cli.json<Sent>(['post', 'shell, apart 2']),
    ])(),
  ]);
  expect(fromShell.map((p) => p.sent)).toEqual([false, false]);
  await expect(app.getByTestId('sync-status')).toHaveText('Offline · 2 queued');
  await hubB.resume();
  expect(await cli.json(['sync'])).toMatchObject({ state: 'synced', queued: 0 });
  await context.setOffline(false);
  await expect(app.getByTestId('sync-status')).toHaveText('Synced');
  await expect(postWithBody(app, 'shell, apart 2')).toHaveCount(1);
  expect(await cli.json(['sync'])).toMatchObject({ state: 'synced', queued: 0 }); // pulls the app's merge

  await expectOnceEverywhere(app, cli, hubB, dana, [
    'before the backup',
    'while the shell streams',
    ...['app, apart 1', 'app, apart 2', 'shell, apart 1', 'shell, apart 2'],
  ]);
});

test('one pseudonym on both: the app sends first after its hub was down, the command line merges', async ({
  browser,
  cli,
  hubB,
}) => {
  const { app, dana } = await shareDana(browser, cli, hubB);
  await hubB.halt();
  await publish(app, 'app, apart');
  await expect(app.getByTestId('sync-status')).toContainText('unreachable');
  expect(await cli.json<Sent>(['post', 'shell, apart'])).toMatchObject({ sent: false });
  await hubB.resume();
  await expect(app.getByTestId('sync-status')).toHaveText('Synced');
  expect(await cli.json(['sync'])).toMatchObject({ state: 'synced', queued: 0 }); // stale: pulls, merges, sends
  await expect(postWithBody(app, 'shell, apart')).toHaveCount(1);

  await expectOnceEverywhere(app, cli, hubB, dana, ['before the backup', 'app, apart', 'shell, apart']);
});
