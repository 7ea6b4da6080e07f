/**
 * The whole feed as one file from Settings (issue 18, point 2): exported as a download that any reader of the
 * format verifies (the command line's reader, here in Node) and that holds what the person posted; taken in
 * again on the same device it adds nothing; a damaged copy is refused in words and changes nothing.
 */
import { createReadStream } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFeedFile } from '../src/protocol/feed-file-reader.ts';
import { pickVerify } from '../src/protocol/keys.ts';
import { expect, onboard, postWithBody, publish, test } from './fixtures.ts';

test('export the feed from Settings, check it, import it back, and see a damaged copy refused', async ({
  browser,
  hubA,
}) => {
  const folder = await mkdtemp(join(tmpdir(), 'murmur-feed-file-'));
  try {
    const page = await (await browser.newContext({ acceptDownloads: true })).newPage();
    await onboard(page, hubA, 'Alice', 'alice');
    await publish(page, 'kept in the file');
    await page.getByRole('link', { name: 'Settings' }).click();
    const form = page.getByRole('form', { name: 'Export your feed' });
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      form.getByRole('button', { name: 'Export feed' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^murmur-Alice-\d{4}-\d\d-\d\d\.feed$/);
    const file = join(folder, 'alice.feed');
    await download.saveAs(file);
    await expect(page.getByTestId('feed-file-status')).toContainText('Saved');

    const bodies: string[] = [];
    for await (const item of readFeedFile(createReadStream(file), { verify: await pickVerify(), now: Date.now() }))
      if (item.kind === 'commit') bodies.push(...item.commit.posts.map((p) => p.value.body));
    expect(bodies).toContain('kept in the file');

    const imports = page.getByRole('form', { name: 'Import a feed file' });
    await imports.getByLabel('Feed file').setInputFiles(file);
    await imports.getByRole('button', { name: 'Import feed' }).click();
    await expect(page.getByTestId('feed-file-status')).toContainText('0 new here');

    const bytes = await readFile(file);
    const damaged = join(folder, 'damaged.feed');
    await writeFile(damaged, bytes.subarray(0, bytes.length - 7));
    await imports.getByLabel('Feed file').setInputFiles(damaged);
    await imports.getByRole('button', { name: 'Import feed' }).click();
    await expect(page.getByTestId('feed-file-status')).toHaveText(/cut short.*nothing was imported/);
    await page.getByRole('link', { name: 'Home' }).click();
    await expect(postWithBody(page, 'kept in the file')).toHaveCount(1);
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
});
