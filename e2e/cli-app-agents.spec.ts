/**
 * Issue 17's end-to-end test, continued (cli-app.spec.ts has the rest): DMs both ways between Carol's command
 * line on hub A and Dana's app on hub B, and Carol's agent: its posts and the devlog's shown in the app as hers,
 * listed on her profile, and, once revoked, refused by name.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { gitRepo } from '../src/testing/git-repo.ts';
import type { PseudonymId } from '../src/protocol/ids.ts';
import AxeBuilder from './axe.ts';
import { type Sent, expect, test } from './cli.ts';
import { meet, timeline } from './cli-meet.ts';
import { postWithBody } from './fixtures.ts';
import { postsOnHub } from './hub-inspect.ts';

/** One of Carol's posts as the app shows it: the agent's byline when an agent wrote it, and the verified mark. */
async function expectByAgent(app: Page, body: string, byline: string) {
  const shown = postWithBody(app, body);
  await expect(shown).toHaveCount(1);
  await expect(shown.getByTestId('agent-byline')).toHaveText(byline);
  await expect(shown.getByTestId('verified')).toBeVisible();
}

/** Carol's profile in the app, reached from her post `body`, lists one agent, as `shown`; then back Home. */
async function expectAgentsOnProfile(app: Page, body: string, shown: RegExp) {
  await postWithBody(app, body).locator('.post-byline').click();
  await expect(app.getByTestId('profile-agent')).toHaveText([shown]);
  await app.getByRole('link', { name: 'Home' }).click();
}

test('an agent posts for the command line’s user and the app says so; revoked, it may post no more', async ({
  browser,
  cli,
  hubA,
  hubB,
}) => {
  const { app, carol } = await meet(browser, cli, hubA, hubB);
  // Carol makes an agent key with her delegation; the agent's own process holds that credential, not her key.
  const file = join(cli.home, 'scribe.json');
  const made = await cli.json<{ id: string }>(['agent', 'add', 'scribe', '--model', 'm-1', '--out', file]);
  const scribe = cli.agent(file);
  const first = await scribe.json<{ id: string } & Sent>(['post', 'written by scribe']);
  expect(first.sent).toBe(true);
  // The app shows it as Carol's, written by her agent, by the name her profile publishes (init's --name).
  await expectByAgent(app, 'written by scribe', 'scribe (m-1) on behalf of Carol');
  await expectAgentsOnProfile(app, 'written by scribe', /^scribe \(m-1\) [0-9a-f]{4}/);

  // The devlog archetype, run as the same agent on a repository with a commit today: one post, marked the same.
  const repo = gitRepo(await mkdtemp(join(tmpdir(), 'murmur-e2e-repo-')));
  const now = new Date().toISOString();
  repo.commit('first', { author: 'Ada', date: now }, { 'src/main.ts': 'one\ntwo\n' });
  const devlog = await scribe.json<{ posted: boolean; id: string }>(['agent', 'devlog', '--repo', repo.dir]);
  expect(devlog).toMatchObject({ posted: true, sent: true });
  const summary = (await timeline(scribe)).find((p) => p.id === devlog.id)!.body; // the agent's home has it
  expect(summary).toMatch(/^1 commit by Ada since /);
  await expectByAgent(app, summary, 'scribe (m-1) on behalf of Carol');
  expect(await scribe.json(['agent', 'devlog', '--repo', repo.dir])).toMatchObject({ posted: false });

  // Revoked: the agent's next post is refused by name, and nothing of it reaches a hub or the app; what it wrote
  // before the revocation still verifies there.
  expect(await cli.json<Sent>(['agent', 'revoke', 'scribe'])).toMatchObject({ sent: true });
  const refused = await scribe.run(['post', 'after the revocation', '--json']);
  expect([refused.code, refused.json<{ error: string }>().error]).toEqual([4, 'AgentRevoked']);
  await expect(postWithBody(app, 'after the revocation')).toHaveCount(0);
  expect((await postsOnHub(hubA.url, carol.id as PseudonymId)).map((p) => p.body)).not.toContain(
    'after the revocation',
  );
  await expectByAgent(app, 'written by scribe', 'scribe (m-1) on behalf of Carol');
  expect(await new AxeBuilder(app).seriousViolations()).toEqual([]); // a timeline with agents' posts
  await expectAgentsOnProfile(app, 'written by scribe', /^scribe \(m-1\) · revoked/);
  const listed = await cli.json<{ agents: { id: string; revoked: boolean }[] }>(['agent', 'list']);
  expect(listed.agents).toEqual([expect.objectContaining({ id: made.id, revoked: true })]);
});

test('DMs both ways: the command line writes while her hub is down and sends once; the app answers', async ({
  browser,
  cli,
  hubA,
  hubB,
}) => {
  const { app, dana } = await meet(browser, cli, hubA, hubB);
  // Dana's inbox is on hub B: down, the message waits in Carol's home; `sync` sends it, once.
  await hubB.halt();
  const queued = await cli.run(['dm', dana.handle, 'hello Dana, from a shell', '--json']);
  expect(queued.code, queued.stderr).toBe(0);
  expect(queued.json()).toMatchObject({ to: dana.id, sent: false, queued: 1 });
  await hubB.resume();
  expect(await cli.json(['sync'])).toMatchObject({ state: 'synced', deliveries: 0 });
  expect(await cli.json(['sync'])).toMatchObject({ state: 'synced', deliveries: 0 });

  // The app: one conversation, titled by the name Carol's init published, holding the message once; answered.
  await app.getByRole('link', { name: /^Messages/ }).click();
  const conversation = app.getByTestId('conversation');
  await expect(conversation).toHaveCount(1);
  await expect(conversation).toContainText('hello Dana, from a shell');
  await conversation.getByRole('link').click();
  await expect(app.getByRole('heading', { name: 'Carol', exact: true })).toBeVisible();
  await expect(app.getByTestId('dm')).toHaveText([/hello Dana, from a shell/]);
  await app.getByLabel('Message', { exact: true }).fill('hi Carol, from the app');
  await app.getByRole('button', { name: 'Send' }).click();
  await expect(app.getByTestId('dm').filter({ hasText: 'hi Carol' }).getByTestId('dm-state')).toHaveText('Sent');

  // The command line reads the conversation: both messages, once each, in order, by whom.
  const read = await cli.json<{ name: string; messages: { body: string; from: string }[] }>(['dms', dana.handle]);
  expect([read.name, read.messages.map((m) => m.body)]).toEqual([
    'Dana',
    ['hello Dana, from a shell', 'hi Carol, from the app'],
  ]);
  await app.reload();
  await expect(app.getByTestId('dm')).toHaveText([/hello Dana, from a shell/, /hi Carol, from the app/]);
  expect(await new AxeBuilder(app).seriousViolations()).toEqual([]); // a conversation with the command line
});
