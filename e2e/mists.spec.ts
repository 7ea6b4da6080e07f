/**
 * Mists in the app (issue 20), in Chromium against real hub processes: a code mist shared on hub A is read,
 * highlighted and verified, by a follower on hub B, who forks it; the fork chain and the forks seen show on
 * both; it is shared in a post, which shows it as a card. A secret mist opens from its link in a fresh browser
 * and nowhere else, and neither hub's files hold its plaintext.
 */
import { readFile } from 'node:fs/promises';
import type { Page } from '@playwright/test';
import { hubHolds } from '../src/hub/testing/hub-files.ts';
import AxeBuilder from './axe.ts';
import { aliceAndBob, expect, followHandle, onboard, test } from './fixtures.ts';

const PY = 'def greet(name):\n    return "hi " + name  # a greeting\n\n\nclass Greeter:\n    pass\n';

async function follow(page: Page, handle: string) {
  await followHandle(page, handle);
  await page.keyboard.press('Escape'); // the follow dialog is modal: the rest of the page waits behind it
}

async function shareMist(page: Page, file: { name: string; text: string }, title: string, secret = false) {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Mists' }).click();
  await expect(page.getByRole('heading', { name: 'Mists', level: 1 })).toBeVisible();
  const form = page.getByTestId('share-mist');
  await form.locator('input[type=file]').setInputFiles({
    name: file.name,
    mimeType: 'application/octet-stream',
    buffer: Buffer.from(file.text),
  });
  await expect(form.getByTestId('mist-file-chosen')).toHaveText(`${file.name} (${Buffer.byteLength(file.text)} bytes)`);
  await form.getByLabel('Title (optional)').fill(title);
  if (secret) await form.getByLabel(/^Secret/).check();
  await form.getByRole('button', { name: 'Share mist' }).click();
  await expect(page.getByRole('heading', { name: title, level: 1 })).toBeVisible();
}

/** The shown file, once highlighted: its text, and the keywords the highlighter marked. */
async function expectHighlighted(page: Page, text: string) {
  const code = page.getByRole('region', { name: /^Contents of / });
  await expect(code.locator('pre')).toHaveAttribute('data-highlighted', 'true');
  await expect(code.locator('.hljs-keyword').first()).toHaveText('def');
  expect(await code.locator('code').textContent()).toBe(text);
}

test('a code mist on hub A: a follower on hub B reads it highlighted, verified, forks it; both see the chain', async ({
  browser,
  hubA,
  hubB,
}) => {
  const { alice, bob, aliceHandle, bobHandle } = await aliceAndBob(browser, hubA, hubB);
  await follow(bob, aliceHandle);
  await follow(alice, bobHandle);

  await shareMist(alice, { name: 'greet.py', text: PY }, 'Greeter');
  await expectHighlighted(alice, PY);
  await expect(alice.getByTestId('mist-kind')).toHaveText('code · python');
  await expect(alice.getByTestId('sync-status')).toHaveText('Synced');

  await bob.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Mists' }).click();
  const card = bob.getByRole('article', { name: 'Mist Greeter' });
  await expect(card).toBeVisible();
  await expect(card.getByTestId('person-name')).toHaveText('Alice');
  await card.getByRole('link', { name: 'Greeter' }).click();
  await expectHighlighted(bob, PY);
  await expect(bob.getByTestId('verified')).toBeVisible();
  expect(await new AxeBuilder(bob).seriousViolations(), 'a mist opened').toEqual([]);
  const saving = bob.waitForEvent('download');
  await bob.getByRole('button', { name: 'Download' }).click();
  const saved = await saving;
  expect(saved.suggestedFilename()).toBe('greet.py');
  expect(await readFile(await saved.path())).toEqual(Buffer.from(PY));

  await bob.getByRole('button', { name: 'Fork' }).click();
  await expect(bob.getByTestId('fork-chain')).toContainText('Alice');
  await expectHighlighted(bob, PY);
  await expect(bob.getByRole('button', { name: 'Delete' })).toBeVisible(); // the fork is Bob's own

  // Alice sees the fork among those her device has seen, and its chain back to her mist.
  await alice.reload();
  const forks = alice.getByTestId('forks-seen');
  await expect(forks).toContainText('Bob');
  await forks.getByRole('link').first().click();
  await expect(alice.getByTestId('fork-chain')).toContainText('Alice');

  // Shared in a post, it shows as a card in the follower's timeline.
  await alice.goBack();
  await alice.getByRole('button', { name: 'Share in a post' }).click();
  await alice.getByRole('dialog').getByRole('button', { name: 'Post' }).click();
  await expect(alice.getByRole('status').filter({ hasText: 'Posted.' })).toBeVisible();
  await bob.getByRole('link', { name: 'Home' }).click();
  const post = bob.getByRole('list', { name: 'Timeline' }).getByTestId('post').filter({ hasText: 'Greeter' });
  await expect(post.getByRole('article', { name: 'Mist Greeter' })).toBeVisible();
});

test('a secret mist opens from its link in a fresh browser and nowhere else; no hub holds its text', async ({
  browser,
  hubA,
  hubB,
}) => {
  const { alice, bob, aliceHandle } = await aliceAndBob(browser, hubA, hubB);
  await follow(bob, aliceHandle);
  const secret = 'API_TOKEN=only-for-link-holders-4711';
  await shareMist(alice, { name: 'service.env', text: secret }, 'Service settings', true);
  await expect(alice.getByText('secret: readable only with its link')).toBeVisible();
  const link = await alice.getByTestId('mist-link').inputValue();
  expect(link).toMatch(/#\/mist\/[0-9a-f]{64}\?hub=.+&k=[A-Za-z0-9_-]{43}$/);
  await expect(alice.getByTestId('sync-status')).toHaveText('Synced');
  expect(await hubHolds(hubA.dataDir, 'only-for-link-holders')).toBe(false);
  expect(await hubHolds(hubB.dataDir, 'only-for-link-holders')).toBe(false);

  const stranger = await (await browser.newContext()).newPage();
  await stranger.goto(link);
  await expect(stranger.getByRole('heading', { name: 'Service settings' })).toBeVisible();
  await expect(stranger.getByRole('region', { name: 'Contents of service.env' })).toHaveText(secret);
  await expect(stranger.getByTestId('verified')).toBeVisible();
  expect(await new AxeBuilder(stranger).seriousViolations(), 'a secret mist opened').toEqual([]);

  const keyless = await (await browser.newContext()).newPage();
  await keyless.goto(link.replace(/&k=[^&]*$/, ''));
  await expect(keyless.getByRole('heading', { name: 'This mist could not be opened' })).toBeVisible();
  await expect(keyless.getByText('only-for-link-holders')).toHaveCount(0);

  // A follower's lists never show it.
  await bob.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Mists' }).click();
  await expect(bob.getByTestId('mists-empty')).toBeVisible();
});

test('explore: the public mists of people listed in the directory, by type; a file shared by dropping it', async ({
  browser,
  hubA,
}) => {
  const bob = await (await browser.newContext()).newPage();
  await onboard(bob, hubA, 'Bob', 'bob');
  await bob.getByRole('link', { name: 'Settings' }).click();
  await bob.getByRole('checkbox', { name: 'List me in the directory' }).check();
  await expect(bob.getByTestId('directory-section')).toContainText('Listed: your hubs get your card');
  const directory = async () => JSON.stringify(await (await fetch(`${hubA.url}/v1/directory`)).json());
  await expect.poll(directory, { message: 'the hub holds his listing' }).toContain('"handle":"bob@');
  await shareMist(bob, { name: 'greet.py', text: PY }, 'Greeter');
  // A file dropped on the form, as from a file manager.
  await bob.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Mists' }).click();
  const form = bob.getByTestId('share-mist');
  const dropped = await bob.evaluateHandle(() => {
    const transfer = new DataTransfer();
    transfer.items.add(new File(['bird,count\nheron,2\n'], 'birds.csv'));
    return transfer;
  });
  await form.dispatchEvent('dragover', { dataTransfer: dropped });
  await form.dispatchEvent('drop', { dataTransfer: dropped });
  await expect(form.getByTestId('mist-file-chosen')).toHaveText('birds.csv (19 bytes)');
  await form.getByRole('button', { name: 'Share mist' }).click();
  await expect(bob.getByRole('heading', { name: 'birds.csv', level: 1 })).toBeVisible();
  await expect(bob.getByTestId('mist-kind')).toHaveText('dataset');
  await expect(bob.getByTestId('sync-status')).toHaveText('Synced');

  // Alice follows no one: Explore shows Bob's public mists, and the type filter narrows them.
  const alice = await (await browser.newContext()).newPage();
  const scripts: string[] = [];
  alice.on('request', (r) => r.resourceType() === 'script' && scripts.push(new URL(r.url()).pathname));
  await onboard(alice, hubA, 'Alice', 'alice');
  await alice.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Mists' }).click();
  await expect(alice.getByTestId('mists-empty')).toBeVisible();
  await alice.getByRole('link', { name: 'Explore' }).click();
  const list = alice.getByRole('list', { name: 'Mists' });
  await expect(list.getByTestId('mist-card')).toHaveCount(2);
  await alice.getByLabel('Type').selectOption('dataset');
  await expect(alice).toHaveURL(/scope=explore&type=dataset/);
  await expect(list.getByTestId('mist-card')).toHaveCount(1);
  await expect(list.getByRole('article', { name: 'Mist birds.csv' })).toBeVisible();
  expect(await new AxeBuilder(alice).seriousViolations(), 'the mists list').toEqual([]);

  // The highlighter's grammars load only when a mist is opened: not for the first screen, nor for the lists.
  const highlighter = (urls: readonly string[]) => urls.filter((u) => /\/assets\/highlight-[\w-]+\.js$/.test(u));
  expect(scripts.length).toBeGreaterThan(3);
  expect(highlighter(scripts)).toEqual([]);
  await list.getByRole('link', { name: 'birds.csv' }).click();
  await expect(alice.getByRole('region', { name: 'Contents of birds.csv' })).toHaveText('bird,count\nheron,2\n');
  await expect.poll(() => highlighter(scripts)).toHaveLength(1);
});
