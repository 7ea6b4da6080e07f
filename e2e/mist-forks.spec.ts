/**
 * A fork chain at its limit (issue 20, PROTOCOL.md Mist objects): a mist forked five times over by the command
 * line, read in the app by a follower, who sees its chain back to the first mist, each link checked; a sixth
 * fork is refused (ForkTooDeep) and makes nothing. The protocol refuses a depth-6 object by itself (mist vectors).
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Sent, expect, test } from './cli.ts';
import { onboard } from './fixtures.ts';

interface Made extends Sent {
  readonly id: string;
}

test('a fork five deep shows its chain in the app; a sixth fork is refused there and makes nothing', async ({
  browser,
  cli,
  hubA,
}) => {
  const dir = await mkdtemp(join(tmpdir(), 'murmur-e2e-forks-'));
  const file = async (text: string) => {
    const path = join(dir, 'chain.txt');
    await writeFile(path, text);
    return path;
  };
  await cli.json(['init', '--hub', hubA.url, '--handle', 'root', '--name', 'Root']);
  await cli.json(['init', '--hub', hubA.url, '--handle', 'forker', '--name', 'Forker']);
  let parent = (await cli.json<Made>(['mist', 'create', await file('depth 0\n'), '--as', 'root'])).id;
  await cli.json(['follow', `root@${hubA.host}`, '--as', 'forker']);
  for (let depth = 1; depth <= 5; depth++) {
    const fork = await cli.json<Made>(['mist', 'fork', parent, '--as', 'forker']);
    // A fork of one's own fork has its file: changed first, so each is a new mist.
    await cli.json(['mist', 'update', fork.id, await file(`depth ${depth}\n`), '--as', 'forker']);
    parent = fork.id;
  }

  const alice = await (await browser.newContext()).newPage();
  await onboard(alice, hubA, 'Alice', 'alice');
  await alice.getByRole('button', { name: 'Follow someone' }).click();
  await alice.getByLabel('Handle to follow').fill(`forker@${hubA.host}`);
  await alice.getByRole('button', { name: 'Follow', exact: true }).click();
  await expect(alice.getByRole('status').filter({ hasText: 'Following forker' })).toBeVisible();
  await alice.keyboard.press('Escape');
  await alice.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Mists' }).click();
  await alice.locator(`a[href$="/${parent}"]`).first().click();
  await expect(alice.getByRole('region', { name: 'Contents of chain.txt' })).toHaveText('depth 5\n');
  // Its chain, nearest first: four forks of Forker's own, then Root's first mist, which Alice (following only
  // Forker) does not hold: the link says so.
  const chain = alice.getByTestId('fork-chain').getByRole('listitem');
  await expect(chain).toHaveCount(5);
  await expect(chain.first()).toContainText('itself a fork, depth 4');
  await expect(chain.last()).toContainText('not on this device');

  await alice.getByRole('button', { name: 'Fork' }).click();
  await expect(alice.getByRole('status').filter({ hasText: 'fork five deep' })).toHaveText(
    'This mist is a fork five deep already, as deep as forks go: it cannot be forked again',
  );
  await alice.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Mists' }).click();
  await alice.getByRole('link', { name: 'Yours' }).click();
  await expect(alice.getByTestId('mists-empty')).toBeVisible();
});
