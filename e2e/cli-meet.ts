/**
 * The two people of the command line's e2e specs (cli-app.spec.ts, cli-app-agents.spec.ts): Carol runs `murmur`
 * on hub A, Dana the app in Chromium on hub B, each following the other by handle; and reading Carol's side.
 */
import type { Browser, Page } from '@playwright/test';
import { type CliPost, type CliThreadPost, type CliUser, type Sent, expect } from './cli.ts';
import { followHandle, onboard } from './fixtures.ts';
import type { HubProcess } from './hubs.ts';

export interface Met {
  readonly app: Page;
  readonly carol: { readonly id: string; readonly handle: string };
  readonly dana: { readonly id: string; readonly handle: string };
}

/**
 * Carol (command line, hub A) and Dana (app, hub B) made, each following the other by handle. The two sides
 * are independent people, so each step runs on both at once (a command line run costs a passphrase unlock).
 */
export async function meet(browser: Browser, cli: CliUser, hubA: HubProcess, hubB: HubProcess): Promise<Met> {
  const app = await (await browser.newContext({ acceptDownloads: true })).newPage();
  const [carol, danaHandle] = await Promise.all([
    cli.json<{ id: string; handle: string }>(['init', '--hub', hubA.url, '--handle', 'carol', '--name', 'Carol']),
    onboard(app, hubB, 'Dana', 'dana'),
  ]);
  expect(carol.handle).toBe(`carol@${hubA.host}`);
  const [followed] = await Promise.all([
    cli.json<{ target: string; handle: string } & Sent>(['follow', danaHandle]),
    (async () => {
      await followHandle(app, carol.handle);
      await app.getByRole('button', { name: 'Done' }).click();
    })(),
  ]);
  expect(followed).toMatchObject({ handle: danaHandle, sent: true });
  return { app, carol, dana: { id: followed.target, handle: danaHandle } };
}

export const timeline = async (cli: Pick<CliUser, 'json'>) =>
  (await cli.json<{ posts: CliPost[] }>(['timeline'])).posts;
export const thread = async (cli: CliUser, id: string) =>
  (await cli.json<{ posts: CliThreadPost[] }>(['thread', id])).posts;
