/**
 * Issue 20 point 6, embedding: mists shared with the command line (`node dist/cli/murmur.js`) on a real hub
 * process, shown by the hub's embed page inside an iframe of a page from another site (a node:http server at
 * localhost, while the hub is 127.0.0.1), in real Chromium. The page verifies the feed and renders the code
 * highlighted, its title and the verified mark; a hostile mist (an HTML file with script and handlers, a title
 * of markup, a 200,000-character line) and a file that is not UTF-8 render as inert text and run nothing;
 * the raw page shows the bytes and downloads them.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Frame, FrameLocator, Page } from '@playwright/test';
import { type CliUser, type Sent, expect, test } from './cli.ts';
import { startLyingHub } from './lying-hub.ts';

const CODE = 'def validate(handle):\n    return handle.isidentifier()\n\nclass Gate:\n    pass\n';
const HOSTILE_TITLE = '<img src=x onerror=alert(1)><b>Bold</b> & "quoted"';
const HOSTILE_HTML =
  '<script>alert("script ran");window.pwned=1;window.parent.pwned=1</script>\n' +
  '<img src=x onerror="alert(\'handler ran\');window.pwned=2;window.parent.pwned=2">\n' +
  '<svg onload="alert(\'svg ran\');window.parent.pwned=3"><script>window.parent.pwned=4</script></svg>\n';
/** One line of 200,000 characters, itself markup a renderer must not take as such. */
const LONG_LINE = `<b onmouseover=alert(1)>${'x'.repeat(200_000 - 56)}</b><iframe src=javascript:alert(1)>\n`;
/** Not UTF-8: a lone continuation byte, an overlong form, a truncated sequence. */
const NOT_UTF8 = new Uint8Array([0x68, 0x69, 0x80, 0xc0, 0xaf, 0xe2, 0x28, 0xa1, 0xff, 0x0a]);

interface Made extends Sent {
  readonly id: string;
}

/** A page of another site: any path answers `html`. */
async function embedder(html: string): Promise<{ readonly url: string; close(): Promise<void> }> {
  const server: Server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(html);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    // localhost, not 127.0.0.1 (the hub's): another origin and another site.
    url: `http://localhost:${port}/`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Shares `bytes` as the file `name` and answers the mist's id. */
async function share(cli: CliUser, dir: string, name: string, bytes: string | Uint8Array, title?: string) {
  const path = join(dir, name);
  await writeFile(path, bytes);
  const made = await cli.json<Made>(['mist', 'create', path, ...(title ? ['--title', title] : [])]);
  expect(made.sent).toBe(true);
  return made.id;
}

/** Every dialog a page (or any of its frames) opens, dismissed and noted, and each CSP violation. */
async function watch(page: Page) {
  const dialogs: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  await page.addInitScript(() => {
    const w = window as unknown as { cspViolations: string[] };
    w.cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => w.cspViolations.push(e.violatedDirective));
  });
  return dialogs;
}

/** What ran in a frame: the globals a payload would set, and the CSP violations seen there. */
const ranIn = (frame: Frame | Page) =>
  frame.evaluate(() => {
    const w = window as unknown as { pwned?: unknown; cspViolations?: string[] };
    return { pwned: w.pwned ?? null, violations: w.cspViolations ?? [] };
  });

test('the embed page in an iframe on another site verifies and shows a mist; hostile mists run nothing', async ({
  browser,
  cli,
  hubA,
}) => {
  const dir = await mkdtemp(join(tmpdir(), 'murmur-e2e-mists-'));
  const { id: author } = await cli.json<{ id: string }>(['init', '--hub', hubA.url, '--handle', 'mira']);
  expect((await cli.json<Sent>(['profile', 'set', '--name', 'Mira Shell'])).sent).toBe(true);
  const gate = await share(cli, dir, 'gate.py', CODE, 'Gate check');
  const hostile = await share(cli, dir, 'x.html', HOSTILE_HTML + LONG_LINE, HOSTILE_TITLE);
  const binary = await share(cli, dir, 'bytes.txt', NOT_UTF8, 'Not text');
  const embed = (mist: string) => `${hubA.url}/m/${author}/${mist}/embed`;

  const site = await embedder(
    '<!doctype html><title>A blog</title><h1>A blog post</h1>' +
      `<iframe id="gate" title="gate" src="${embed(gate)}" width="800" height="400"></iframe>` +
      `<iframe id="hostile" title="hostile" src="${embed(hostile)}" width="800" height="400"></iframe>` +
      `<iframe id="binary" title="binary" src="${embed(binary)}" width="800" height="200"></iframe>` +
      // The script embed code: the hub's embed.js puts the same page in an iframe where the script stands.
      `<div id="scripted"><script src="${embed(gate)}.js"></script></div>`,
  );
  try {
    const page = await (await browser.newContext()).newPage();
    const dialogs = await watch(page);
    await page.goto(site.url);
    await expect(page.getByRole('heading', { name: 'A blog post' })).toBeVisible();

    // The code mist: its title, file, author, the verified mark, and the code highlighted as Python.
    const code = page.frameLocator('#gate');
    await expect(code.getByRole('heading', { name: 'Gate check' })).toBeVisible();
    await expect(code.getByTestId('verified')).toHaveText('✓ Verified');
    await expect(code.getByTestId('mist-file-name')).toHaveText('gate.py');
    await expect(code.getByText('Mira Shell')).toBeVisible();
    await expect(code.locator('pre[data-highlighted="true"][data-grammar="python"]')).toBeVisible();
    await expect(code.locator('.hljs-keyword', { hasText: 'def' })).toBeVisible();
    expect(await code.locator('.code-view code').textContent()).toBe(CODE);
    const open = code.getByRole('link', { name: 'Open in Murmur' });
    await expect(open).toHaveAttribute('href', `${hubA.url}/#/mists/${author}/${gate}`);
    await expect(open).toHaveAttribute('target', '_blank');
    await expect(open).toHaveAttribute('rel', 'noopener noreferrer');

    // The hostile mist: its title and file shown as the characters they are, nothing run.
    const bad = page.frameLocator('#hostile');
    await expect(bad.getByRole('heading', { name: HOSTILE_TITLE })).toBeVisible();
    await expect(bad.getByTestId('verified')).toBeVisible();
    await expect(bad.locator('.code-view pre[data-highlighted]')).toBeVisible();
    expect(await bad.locator('.code-view code').textContent()).toBe(HOSTILE_HTML + LONG_LINE);
    // Nothing of the file became an element: no script, image, svg, bold or inner frame in the embed page.
    await expect(bad.locator('.code-view script, .code-view img, .code-view svg, .code-view iframe')).toHaveCount(0);
    await expect(bad.locator('h1 img, h1 b')).toHaveCount(0);
    // The 200,000-character line scrolls inside its box: the frame's page is no wider than the frame.
    expect(await scrollWidthOf(bad)).toBeLessThanOrEqual(800);

    // The file that is not UTF-8: its size, no text.
    const bytes = page.frameLocator('#binary');
    await expect(bytes.getByTestId('binary')).toHaveText(`binary file, ${NOT_UTF8.length} bytes`);
    await expect(bytes.locator('.code-view')).toHaveCount(0);

    const scripted = page.frameLocator('#scripted iframe');
    await expect(scripted.getByRole('heading', { name: 'Gate check' })).toBeVisible();
    await expect(scripted.getByTestId('verified')).toBeVisible();

    const frames = page.frames().filter((f) => f.url().startsWith(hubA.url));
    expect(frames).toHaveLength(4);
    for (const frame of [page.mainFrame(), ...frames])
      expect(await ranIn(frame)).toEqual({ pwned: null, violations: [] });
    expect(dialogs).toEqual([]);
  } finally {
    await site.close();
    await rm(dir, { recursive: true, force: true });
  }
});

test('the raw page shows the verified bytes as plain text and downloads them under the file’s name', async ({
  browser,
  cli,
  hubA,
}) => {
  const dir = await mkdtemp(join(tmpdir(), 'murmur-e2e-mists-'));
  try {
    const { id: author } = await cli.json<{ id: string }>(['init', '--hub', hubA.url, '--handle', 'rafe']);
    const gate = await share(cli, dir, 'gate.py', CODE, 'Gate check');
    const hostile = await share(cli, dir, 'x.html', HOSTILE_HTML, HOSTILE_TITLE);
    const binary = await share(cli, dir, 'bytes.txt', NOT_UTF8);
    const page = await (await browser.newContext({ acceptDownloads: true })).newPage();
    const dialogs = await watch(page);

    const raw = (mist: string) => `${hubA.url}/m/${author}/${mist}/raw`;
    const answer = await page.goto(raw(gate));
    expect(answer?.headers()['content-security-policy']).toContain('frame-ancestors *');
    await expect(page.getByTestId('verified')).toBeVisible();
    expect(await page.getByTestId('raw-text').textContent()).toBe(CODE);
    await expect(page.locator('.hljs-keyword')).toHaveCount(0); // raw: no highlighting
    const download = page.waitForEvent('download');
    await page.getByTestId('download').click();
    const saved = await download;
    expect(saved.suggestedFilename()).toBe('gate.py');
    expect(await readFile(await saved.path())).toEqual(Buffer.from(CODE));

    await page.goto(raw(hostile));
    await expect(page.getByRole('heading', { name: HOSTILE_TITLE })).toBeVisible();
    expect(await page.getByTestId('raw-text').textContent()).toBe(HOSTILE_HTML);
    await expect(page.locator('main script, main img, main svg')).toHaveCount(0);

    await page.goto(raw(binary));
    await expect(page.getByTestId('binary')).toHaveText(`binary file, ${NOT_UTF8.length} bytes`);
    const bytes = page.waitForEvent('download');
    await page.getByTestId('download').click();
    expect(new Uint8Array(await readFile(await (await bytes).path()))).toEqual(NOT_UTF8);

    // Deleted by its author: every version stops showing, and the page says why.
    expect((await cli.json<Sent>(['mist', 'delete', binary])).sent).toBe(true);
    await page.goto(raw(binary));
    await expect(page.getByText('This mist was deleted by its author.')).toBeVisible();

    // A mist id the feed does not have: said so, after the page has shown it checked something.
    await page.goto(raw('0123456789abcdef'));
    await expect(page.getByText(/No public mist 0123456789abcdef here/)).toBeVisible();
    await expect(page.getByTestId('verified')).toHaveCount(0);
    expect(await ranIn(page)).toEqual({ pwned: null, violations: [] });
    expect(dialogs).toEqual([]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('the embed page refuses a file or a mist object that does not match what the feed signed', async ({
  browser,
  cli,
}) => {
  // A proxy in front of a real hub that serves chosen bytes under any id (test code: the real hub refuses them).
  const hub = await startLyingHub('mist-embed');
  const dir = await mkdtemp(join(tmpdir(), 'murmur-e2e-mists-'));
  try {
    const { id: author } = await cli.json<{ id: string }>(['init', '--hub', hub.url, '--handle', 'lena']);
    const path = join(dir, 'gate.py');
    await writeFile(path, CODE);
    const made = await cli.json<Made & { object: string }>(['mist', 'create', path, '--title', 'Gate check']);
    const embed = `${hub.url}/m/${author}/${made.id}/embed`;
    // Each visit in a context of its own: blobs are immutable, and a browser may keep the true ones it read.
    const visit = async () => {
      const page = await (await browser.newContext()).newPage();
      await page.goto(embed);
      return page;
    };
    // First the truth: the page shows the mist, so a refusal below is the check's, not a page that never works.
    await expect((await visit()).getByTestId('verified')).toBeVisible();

    const lies = [
      // The file: other bytes under its id.
      [createHash('sha256').update(CODE).digest('hex'), new TextEncoder().encode(`${CODE}import os\n`)],
      // The mist object: one naming another file, under the signed object's id.
      [made.object, new TextEncoder().encode('{"type":"mist"}')],
    ] as const;
    for (const [id, bytes] of lies) {
      hub.honest();
      hub.lieBlob(id, bytes);
      const page = await visit();
      await expect(page.getByRole('alert')).toContainText('This mist could not be verified (HashMismatch)');
      await expect(page.getByTestId('verified')).toHaveCount(0);
      await expect(page.locator('.code-view')).toHaveCount(0);
    }
  } finally {
    await hub.stop();
    await rm(dir, { recursive: true, force: true });
  }
});

/** The widest the embed page's document is, in CSS pixels. */
function scrollWidthOf(frame: FrameLocator): Promise<number> {
  return frame.locator('html').evaluate((html) => html.scrollWidth);
}
