/**
 * Who can reach an inbox, in real Chromium against two real hubs: Alice
 * closes hers to people she follows, her hub holds her signed policy (naming
 * no one in the clear) and refuses Bob's message before storing it, Bob is
 * told in words; once she follows him her hub hears the new list and his
 * next message arrives.
 */
import { createHash } from 'node:crypto';
import type { Page } from '@playwright/test';
import { aliceAndBob, expect, followHandle, test } from './fixtures.ts';

const idOf = async (page: Page) =>
  (await page.getByRole('link', { name: 'My profile' }).getAttribute('href'))!.split('/').at(-1)!;

interface PolicyJson {
  readonly mode: string;
  readonly salt?: string;
  readonly senders?: readonly string[];
}

/** The policy the hub holds for `id`, or undefined (404). */
async function policyOn(hubUrl: string, id: string): Promise<PolicyJson | undefined> {
  const res = await fetch(`${hubUrl}/v1/inbox-policy/${id}`);
  return res.status === 200 ? ((await res.json()) as PolicyJson) : undefined;
}

/** Whether the policy admits `sender`, computed here as PROTOCOL.md says (not with the app's code). */
function admits(policy: PolicyJson | undefined, sender: string): boolean {
  if (!policy?.salt) return false;
  const tag = createHash('sha256')
    .update(Buffer.concat([Buffer.from(policy.salt, 'hex'), Buffer.from(sender, 'hex')]))
    .digest()
    .subarray(0, 16)
    .toString('hex');
  return policy.senders!.includes(tag);
}

async function write(page: Page, body: string) {
  await page.getByLabel('Message', { exact: true }).fill(body);
  await page.getByRole('button', { name: 'Send' }).click();
  return page.getByTestId('dm').filter({ hasText: body }).getByTestId('dm-state');
}

test('a closed inbox: the hub refuses a stranger, and takes them once followed', async ({ browser, hubA, hubB }) => {
  const { alice, bob, aliceHandle, bobHandle } = await aliceAndBob(browser, hubA, hubB);
  const [aliceId, bobId] = [await idOf(alice), await idOf(bob)];

  await alice.getByRole('link', { name: 'Settings' }).click();
  const section = alice.getByTestId('inbox-section');
  await section.getByRole('radio', { name: /People you follow/ }).check();
  await expect(section.getByRole('status')).toHaveText(/Your inbox now takes: people you follow/);
  await expect.poll(async () => (await policyOn(hubA.url, aliceId))?.mode).toBe('closed');
  const closed = (await policyOn(hubA.url, aliceId))!;
  expect(JSON.stringify(closed)).not.toContain(bobId);
  expect(admits(closed, bobId)).toBe(false);

  await bob.getByRole('link', { name: /^Messages/ }).click();
  await bob.getByLabel('Their handle').fill(aliceHandle);
  await bob.getByRole('button', { name: 'Write' }).click();
  await expect(await write(bob, 'hello from a stranger')).toHaveText(
    'Not sent: They take messages only from people they follow or name',
  );

  await alice.getByRole('link', { name: 'Home' }).click();
  await followHandle(alice, bobHandle);
  await expect.poll(async () => admits(await policyOn(hubA.url, aliceId), bobId)).toBe(true);
  await expect(await write(bob, 'hello again, now followed')).toHaveText('Sent');

  await alice.keyboard.press('Escape'); // the follow dialog is modal: the rest of the page waits behind it
  await alice.getByRole('link', { name: /^Messages/ }).click();
  const conversation = alice.getByTestId('conversation');
  await expect(conversation).toContainText('hello again, now followed');
  await conversation.getByRole('link').click();
  await expect(alice.getByTestId('dm')).toHaveText([/hello again, now followed/]);
});
