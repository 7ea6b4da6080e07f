/**
 * Rendered-content safety (issue 14, point 10): the corpus (corpus.ts) in
 * every field a person sees, rendered by the real app in Chromium with the
 * hub's Content-Security-Policy bypassed, so what is proven is that the
 * rendering itself is inert (e2e/csp.spec.ts tests the CSP on its own).
 * Nothing may run, open a dialog, a frame or a popup, navigate, or put into
 * the DOM anything that could do so later; and hostile text is shown as the
 * characters it is. The first test proves each detector catches what it is
 * for, in the same setting.
 *
 * Fields: post bodies (markdown), tags, agent models, display names, bios
 * (markdown), quotes, edits (history), hostile media bytes (an SVG and an
 * HTML page as images), mention and reply bodies (notifications and the
 * thread), a reaction's emoji, DM text (the conversation and its list).
 * Not payload-bearing, by the protocol: handles (isHandleName allows only
 * [a-z0-9_.-], tested below with the hub's refusal), agent ids (pseudonym
 * ids, 64 hex), media names and alt text (a post names media by id only; the
 * app writes the alt text). Profile links are published (http(s) with hostile
 * characters) but the app shows them nowhere. Spoofing: a display name is
 * free text and may read as anyone's handle (two feeds here are named like
 * the viewer's handle); what the app does is show the verified handle beside
 * every name, in its own box, and the tests check it is there and reads in
 * order whatever bidi control the name holds.
 */
import type { Browser, Page } from '@playwright/test';
import type { ObjectId } from '../../src/protocol/ids.ts';
import { isHandleName } from '../../src/protocol/handle-names.ts';
import { pseudonymOf, secretKeyFrom } from '../../src/protocol/keys.ts';
import { buildSignedUnchecked } from '../../src/protocol/signed.ts';
import { errorName, put } from '../../src/hub/testing/hub-fixture.ts';
import type { HubProcess } from '../hubs.ts';
import { expect, followHandle, onboard, publish, test } from '../fixtures.ts';
import { CORPUS, CORPUS_SIZE } from './corpus.ts';
import { armDetector, domHazards, inOrder, watchDomHazards } from './detect.ts';
import { walkList } from './walk-list.ts';
import { type HostileFeed, buildHostileFeeds, hostileNames, publishFeed, sendHostileInbox } from './hostile-feeds.ts';

const FEEDS = 8;

async function hostilePage(browser: Browser, hub: HubProcess) {
  // A tall window shows many posts a screen, so walking 600 of them takes fewer steps.
  const context = await browser.newContext({ bypassCSP: true, viewport: { width: 1000, height: 2400 } });
  const detector = await armDetector(context, `${hub.url}/`);
  await watchDomHazards(context);
  const page = await context.newPage();
  detector.watch(page);
  return { context, page, detector };
}

/** The viewer on `hubA` following every feed of `feeds` (on `hubB`). */
async function followAll(page: Page, hubB: HubProcess, feeds: readonly HostileFeed[]): Promise<void> {
  await page.getByRole('button', { name: 'Follow someone' }).click();
  for (const feed of feeds) {
    await page.getByLabel('Handle to follow').fill(`${feed.handle}@${hubB.host}`);
    await page.getByRole('button', { name: 'Follow', exact: true }).click();
    await expect(page.getByRole('status').filter({ hasText: `Following ${feed.handle}@${hubB.host}` })).toBeVisible();
  }
  await page.getByRole('button', { name: 'Done' }).click();
}

/** Payloads whose text the markdown subset shows unchanged (no emphasis, code or line structure). */
const literal = (text: string) => !/[*`\n\r]/.test(text);

test('detectors catch an execution, a dialog, a frame, a navigation, a hostile node (controls, CSP bypassed)', async ({
  browser,
  hubA,
}) => {
  expect(CORPUS.length).toBe(CORPUS_SIZE);
  expect(new Set(CORPUS.map((p) => p.text)).size).toBe(CORPUS_SIZE);
  expect(CORPUS_SIZE).toBeGreaterThanOrEqual(500);
  const { page, detector } = await hostilePage(browser, hubA);
  await page.goto(hubA.url);
  await expect(page.getByRole('button', { name: 'Create pseudonym' })).toBeVisible();
  expect(detector.events()).toEqual([]);
  expect(await domHazards(page)).toEqual([]);

  // Corpus payloads inserted raw (what rendering must never do) run: the corpus is live and __xss hears it.
  const raw = CORPUS.filter((p) => p.firesRaw);
  expect(raw.length).toBeGreaterThanOrEqual(8);
  await page.evaluate(
    (texts) => {
      const box = document.createElement('div');
      box.innerHTML = texts.join('\n');
      document.body.append(box);
    },
    raw.map((p) => p.text),
  );
  await expect
    .poll(() => raw.filter((p) => !detector.executions.some((e) => e.startsWith(`${p.id} `))).map((p) => p.id))
    .toEqual([]);
  // Inline script runs too: the CSP really is bypassed, so nothing below is saved by it.
  await page.evaluate(() => {
    const script = document.createElement('script');
    script.textContent = "__xss('inline-control')";
    document.body.append(script);
  });
  await expect.poll(() => detector.executions.some((e) => e.startsWith('inline-control '))).toBe(true);
  // A dialog, a frame of another origin reporting by postMessage, and the hazards they leave in the DOM.
  await page.evaluate(() => {
    const box = document.createElement('div');
    box.innerHTML =
      `<img src=x onerror="alert('dialog-control')"><iframe ` +
      `src="data:text/html,<script>parent.postMessage('xss:frame-control','*')</script>"></iframe><a ` +
      `href="javascript:void 0">x</a>`;
    document.body.append(box);
  });
  await expect.poll(() => detector.dialogs).toEqual(['alert: dialog-control']);
  await expect.poll(() => detector.executions.some((e) => e.startsWith('frame-control '))).toBe(true);
  expect(detector.frames.length).toBeGreaterThan(0);
  const hazards = await domHazards(page);
  expect(hazards.some((h) => h.startsWith('<img> onerror='))).toBe(true);
  expect(hazards.some((h) => h.startsWith('<iframe> element'))).toBe(true);
  expect(hazards.some((h) => h.startsWith('<a> href="javascript:'))).toBe(true);
  // A hazard that enters the DOM and leaves at once is still recorded.
  await page.evaluate(() => {
    const a = document.createElement('a');
    a.href = 'javascript:void "transient-control"';
    document.body.append(a);
    a.remove();
  });
  await expect.poll(async () => (await domHazards(page)).some((h) => h.includes('transient-control'))).toBe(true);
  // Text turned around by a bidi override reads out of order; the same text alone reads in order.
  await page.evaluate(() => {
    const box = document.createElement('p');
    box.innerHTML =
      '<bdo dir="rtl"><span id="turned">hostile@hub.example</span></bdo> <span id="plain">hostile@hub.example</span>';
    document.body.append(box);
  });
  expect(await inOrder(page, '#turned')).toBe(false);
  expect(await inOrder(page, '#plain')).toBe(true);
  expect(await inOrder(page, '#plain', 'nowhere')).toBe(false);
  // A popup, and a navigation away from the app.
  await page.evaluate(() => window.open('about:blank'));
  await expect.poll(() => detector.popups.length).toBe(1);
  await page.evaluate(() => location.assign('/elsewhere'));
  await expect.poll(() => detector.navigations.length).toBeGreaterThan(0);
});

// Half the feeds (so half the corpus) each: both halves together cover every payload.
for (const half of [0, 1])
  test(`the corpus as posts, tags, agent models, names (half ${half + 1}/2): timeline walked, nothing runs`, async ({
    browser,
    hubA,
    hubB,
  }) => {
    const { page, detector } = await hostilePage(browser, hubA);
    const viewer = await onboard(page, hubA, 'Viewer', 'viewer');
    const all = buildHostileFeeds(FEEDS, viewer);
    const feeds = all.filter((_, f) => f % 2 === half);
    await Promise.all(feeds.map((feed) => publishFeed(hubB, feed, feed.handle)));
    await followAll(page, hubB, feeds);
    // No reload: posts of feeds followed since the list was read, falling between its rows, come in as it is paged.
    await expect(page.getByTestId('sync-status')).toHaveText('Synced');

    const ids = feeds.flatMap((f) => f.posts);
    expect(all.flatMap((f) => f.posts).length).toBe(CORPUS_SIZE + 2); // and a quote and the post with hostile media
    const seen = await walkList(page, 'Timeline', ids);
    expect(
      feeds.map((f) => f.posts.filter((id) => !seen[id]).length),
      'posts never shown, per feed',
    ).toEqual(feeds.map(() => 0));
    expect(detector.events()).toEqual([]);
    expect(await domHazards(page)).toEqual([]);

    // Shown as the characters they are: bodies, tags, agent models, names; each byline carries its own verified handle.
    const byId = new Map<string, { text: string; feed: HostileFeed }>();
    feeds.forEach((feed) => {
      const mine = CORPUS.filter((_, k) => k % FEEDS === all.indexOf(feed));
      // The first feed's second post shows its edit: the third payload's text.
      feed.posts.forEach((id, i) => {
        byId.set(id, { text: mine[all.indexOf(feed) === 0 && i === 1 ? 2 : i]?.text ?? '', feed });
      });
    });
    let literals = 0;
    for (const [id, post] of Object.entries(seen)) {
      const { text, feed } = byId.get(id)!;
      expect(post.handle).toBe(`${feed.handle}@${hubB.host}`);
      expect(post.name).toBe(feed.name.trim());
      expect(post.handleInOrder, `handle of ${JSON.stringify(feed.name)} read in order`).toBe(true);
      if (text && literal(text)) {
        expect(post.body).toBe(text.trim());
        literals++;
      }
      expect(post.model === null || CORPUS.some((p) => p.text === post.model)).toBe(true);
    }
    const shown = feeds.reduce((sum, f) => sum + f.posts.length, 0);
    expect(literals).toBeGreaterThan(shown / 2);
    const tags = Object.values(seen).flatMap((p) => p.tags);
    expect(tags.length).toBeGreaterThan(shown);
    expect(tags.every((t) => t.startsWith('#') && CORPUS.some((p) => p.text === t.slice(1)))).toBe(true);
    // the quote and media posts declare no agent
    expect(Object.values(seen).filter((p) => p.model !== null).length).toBe(shown - (half === 0 ? 2 : 0));
  });

test('no payload or spoofing character can be a handle: the protocol refuses it as a name, a hub as a claim', async ({
  hubA,
}) => {
  expect(
    CORPUS.filter((p) => [p.text, p.text.toLowerCase().trim()].some((t) => isHandleName(t))).map((p) => p.id),
  ).toEqual([]);
  // Handles are [a-z0-9_.-] only: a lookalike of alice (zero-width, bidi, Cyrillic, uppercase) cannot be claimed.
  const lookalikes = ['ali\u200Bce', 'alice\u202E', '\u0430lice', 'Alice', 'ali\u00ADce', 'alice\u2066', ' alice'];
  expect(lookalikes.filter((name) => isHandleName(name))).toEqual([]);
  expect(isHandleName('alice')).toBe(true); // the check itself accepts a good name
  const key = secretKeyFrom(new Uint8Array(32).fill(151));
  for (const name of lookalikes) {
    const bytes = buildSignedUnchecked(
      { type: 'handle', name, host: hubA.host, author: pseudonymOf(key), ts: Date.now() },
      key,
    );
    const res = await put(`${hubA.url}/v1/handles/${encodeURIComponent(name)}`, bytes);
    expect(await errorName(res), name).toBe('400 InvalidField');
  }
  const good = buildSignedUnchecked(
    { type: 'handle', name: 'alice', host: hubA.host, author: pseudonymOf(key), ts: Date.now() },
    key,
  );
  expect((await put(`${hubA.url}/v1/handles/alice`, good)).status).toBe(201);
});

// Half the feeds each; the first half holds the quote, the edit, the
// hostile media (feed 0) and the name ending in an override (feed 4).
for (const half of [0, 1])
  test(`hostile names, bios, links on profiles, posts opened as threads (half ${half + 1}/2): nothing runs`, async ({
    browser,
    hubA,
    hubB,
  }) => {
    const { page, detector } = await hostilePage(browser, hubA);
    const viewer = await onboard(page, hubA, 'Viewer', 'viewer');
    const all = buildHostileFeeds(FEEDS, viewer);
    const feeds = all.filter((_, f) => f % 2 === half);
    await Promise.all(feeds.map((feed) => publishFeed(hubB, feed, feed.handle)));
    await followAll(page, hubB, feeds);

    for (const feed of feeds) {
      await page.evaluate((id) => (location.hash = `#/profile/${id}`), feed.author);
      await expect(page.locator('#profile-title')).toHaveText(feed.name.trim());
      await expect(page.getByTestId('profile-handle')).toHaveText(`${feed.handle}@${hubB.host}`);
      expect(await inOrder(page, '[data-testid="profile-handle"]')).toBe(true);
      await expect(page.locator('.profile-bio')).toBeVisible();
      await expect(page.getByTestId('profile-counts')).toContainText(`Posts${feed.posts.length}`);
      // The bio is markdown: its hostile links and markup stay text; only http(s) URLs become links.
      const bioLinks = await page
        .locator('.profile-bio a')
        .evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''));
      expect(bioLinks.every((href) => /^https?:\/\//.test(href))).toBe(true);
    }

    // Threads: the first, a middle and the last post of each feed (the first feed's last carries the hostile media).
    for (const feed of feeds) {
      for (const id of [feed.posts[0]!, feed.posts[Math.floor(feed.posts.length / 2)]!, feed.posts.at(-1)!]) {
        await page.evaluate((id) => (location.hash = `#/thread/${id}`), id);
        await expect(page.locator('.post-focused a.post-time')).toHaveAttribute('href', `#/thread/${id}`);
      }
    }
    if (half === 0) {
      // The quote shows the quoted post's body inside it; the edited post shows both versions in its history.
      await page.evaluate((id) => (location.hash = `#/thread/${id}`), feeds[0]!.posts.at(-2)!);
      await expect(page.locator('.post-focused').getByTestId('quoted-post').locator('.post-body')).toBeVisible();
      await page.evaluate((id) => (location.hash = `#/thread/${id}`), feeds[0]!.posts[1]!);
      await page.locator('.post-focused').getByTestId('edited').click();
      await expect(page.getByTestId('history-version')).toHaveCount(2);
      await page.keyboard.press('Escape');
      await expect(page.getByTestId('history-version')).toHaveCount(0);
      await page.evaluate((id) => (location.hash = `#/thread/${id}`), feeds[0]!.posts.at(-1)!);
      await expect(page.locator('.post-focused').getByTestId('post-image')).toHaveCount(2);
      const media = await page
        .locator('.post-focused [data-testid="post-image"]')
        .evaluateAll((imgs) => imgs.map((img) => img.getAttribute('src') ?? ''));
      expect(media.every((src) => src.startsWith('blob:'))).toBe(true);

      // Muting the feed whose name ends in a right-to-left override: the sentence that names it still reads in order.
      const spoof = feeds.find((f) => f.name.startsWith('\u202E'))!;
      await page.evaluate((id) => (location.hash = `#/profile/${id}`), spoof.author);
      await page.getByRole('button', { name: 'Mute' }).click();
      await expect(page.locator('.profile-privacy-note')).toContainText(': their posts are hidden');
      expect(await inOrder(page, '.profile-privacy-note', ': their posts are hidden')).toBe(true);
    }

    expect(detector.events()).toEqual([]);
    expect(await domHazards(page)).toEqual([]);
  });

test('the corpus as mentions, replies, DMs from a bidi-spoofing stranger: notifications, thread, chat; no run', async ({
  browser,
  hubA,
  hubB,
}) => {
  const { page, detector } = await hostilePage(browser, hubA);
  const viewer = await onboard(page, hubA, 'Viewer', 'viewer');
  await publish(page, 'reply to this');
  const href = await page.getByRole('list', { name: 'Timeline' }).locator('a.post-time').first().getAttribute('href');
  const post = href!.split('/').pop()! as ObjectId;
  const me = (await page.getByRole('link', { name: 'My profile' }).getAttribute('href'))!.split('/').pop()!;
  await expect(page.getByTestId('sync-status')).toHaveText('Synced');

  // A name that ends in a right-to-left override: it must not turn the words after it around.
  const name = `\u202E${hostileNames(viewer)[0]}`;
  const key = secretKeyFrom(new Uint8Array(32).fill(150));
  const sent = await sendHostileInbox(key, hubB, hubA.url, { id: me as never, handle: viewer, post }, name);
  await followHandle(page, `hostileinbox@${hubB.host}`);
  await page.getByRole('button', { name: 'Done' }).click();

  await page.getByRole('link', { name: /^Notifications/ }).click();
  const items = page.getByTestId('notification');
  await expect(items).toHaveCount(sent.mentions.length + sent.replies.length + 1);
  await expect(items.filter({ hasText: 'reacted' })).toHaveCount(1);
  // The name as text, isolated (bdi), the handle beside it (src/app/people/PersonLabel.tsx).
  const who = items.first().locator('.notification-what a');
  await expect(who.getByTestId('person-name')).toHaveText(name.trim());
  await expect(who).toContainText(`hostileinbox@${hubB.host}`);
  const bodies = await page.locator('.notification-body').evaluateAll((ps) => ps.map((p) => p.textContent ?? ''));
  expect(bodies.sort()).toEqual([...sent.mentions, ...sent.replies].sort());
  // What each did ('mentioned you', 'reacted ... to your post'),
  // after the name and the reaction's emoji, reads in order.
  const whatInOrder = await page.locator('.notification-what').evaluateAll((ps) =>
    ps.map((p) => {
      const words = [...p.childNodes].find((n) => n.nodeType === Node.TEXT_NODE && /\w/.test(n.textContent ?? ''));
      const part = (words?.textContent ?? '').trim().split(/\s+/).slice(-2).join(' ');
      const watched = window as unknown as { __inOrder(node: Node | null, part: string): boolean };
      return `${part}: ${watched.__inOrder(words ?? null, part)}`;
    }),
  );
  expect(whatInOrder).toEqual(whatInOrder.map((w) => `${w.split(':')[0]}: true`));
  expect(whatInOrder).toContain('your post: true');
  expect(whatInOrder).toContain('mentioned you: true');
  // The list of conversations: the last message, after the name and the unread count, reads in order.
  await page.getByRole('link', { name: /^Messages/ }).click();
  await expect(page.getByTestId('conversation')).toContainText('plain words after a spoofing name');
  await expect(page.getByTestId('conversation').getByTestId('person-name')).toHaveText(name.trim());
  expect(await inOrder(page, '[data-testid="conversation"]', 'plain')).toBe(true);

  // The replies in the thread of the viewer's post, rendered as markdown.
  await page.evaluate((id) => (location.hash = `#/thread/${id}`), post);
  await expect(page.getByRole('list', { name: 'Replies in this thread' }).getByTestId('post')).toHaveCount(
    1 + sent.replies.length,
  );

  // The conversation: every message shown as its text.
  await page.evaluate((id) => (location.hash = `#/messages/${id}`), sent.feed.author);
  await expect(page.getByTestId('dm')).toHaveCount(sent.dms.length);
  await expect(page.locator('.conversation h1')).toHaveText(name.trim());
  const texts = await page.getByTestId('dm').evaluateAll((lis) => lis.map((li) => li.textContent ?? ''));
  expect(sent.dms.every((body) => texts.some((t) => t.includes(body)))).toBe(true);
  // The time after each message reads in order, whatever override the message ends with.
  const times = await page
    .locator('[data-testid="dm"] .message-state')
    .evaluateAll((spans) =>
      spans.map((s) =>
        (window as unknown as { __inOrder(node: Node | null, part?: string): boolean }).__inOrder(
          s,
          s.querySelector('time')?.textContent ?? '-',
        ),
      ),
    );
  expect(times).toEqual(times.map(() => true));

  expect(detector.events()).toEqual([]);
  expect(await domHazards(page)).toEqual([]);
});
