/**
 * `settings` as real processes against a real hub: closing an inbox puts the
 * signed policy on the hub at once, which then refuses a stranger's message
 * (the sender's DM is marked failed, by name); the allowlist lets a named
 * sender through; a bad mode is a usage error that changes nothing.
 */
import { expect, test } from 'vitest';
import { murmur } from './testing/cli-process.ts';
import { CLI_TEST_TIMEOUT_MS, cliWorldForFile } from './testing/cli-world.ts';
import type { SettingsAnswer } from './commands/settings.ts';

const world = cliWorldForFile();

interface Thread {
  readonly messages: { direction: 'in' | 'out'; body: string; state: string; error?: string }[];
}

test(
  'an allowlist inbox: its hub refuses a stranger and takes the one named',
  async () => {
    const ann = await world.initUser('ann', world.hub);
    const ben = await world.initUser('ben', world.hub);
    const cat = await world.initUser('cat', world.hub);
    expect(await world.answer(ann.user, ['dms'])).toEqual({ conversations: [] }); // publishes her DM key
    expect(await world.answer<SettingsAnswer>(ann.user, ['settings'])).toEqual({
      inbox: 'open',
      allowed: [],
      approvedFollowers: [],
      listing: 'never',
      searchable: false,
      hubsUpToDate: 'yes',
    });
    const closed = await world.answer<SettingsAnswer>(ann.user, [
      'settings',
      '--inbox',
      'allowlist',
      '--allow',
      ben.handle,
    ]);
    expect(closed).toEqual({
      inbox: 'allowlist',
      allowed: [ben.id],
      approvedFollowers: [],
      listing: 'never',
      searchable: false,
      hubsUpToDate: 'yes',
    });
    const policy = (await (await fetch(`${world.hub.url}/v1/inbox-policy/${ann.id}`)).json()) as { mode: string };
    expect(policy.mode).toBe('allowlist');

    // Refused by the hub: exit code 4 (refused), the error by name, words (not a stack) on stderr.
    const refused = await murmur(world.cli, cat.user, ['dm', ann.handle, 'from a stranger', '--json']);
    expect(refused.code).toBe(4);
    expect(JSON.parse(refused.stdout)).toMatchObject({ sent: false, error: 'InboxClosed' });
    expect(refused.stderr).toMatch(/InboxClosed: this inbox takes notices only from people it names/);
    expect(refused.stderr).not.toMatch(/\n\s+at /);
    const catSees = await world.answer<Thread>(cat.user, ['dms', ann.handle]);
    expect(catSees.messages).toMatchObject([{ body: 'from a stranger', state: 'failed' }]);
    expect(await world.answer(ben.user, ['dm', ann.handle, 'from a friend'])).toMatchObject({ sent: true });
    const annReads = await world.answer<Thread>(ann.user, ['dms', ben.handle]);
    expect(annReads.messages.map((m) => m.body)).toEqual(['from a friend']);

    const bad = await murmur(world.cli, ann.user, ['settings', '--inbox', 'friends', '--json']);
    expect(bad.code).not.toBe(0);
    expect(bad.stdout).toContain('InvalidField');
    expect(await world.answer<SettingsAnswer>(ann.user, ['settings'])).toMatchObject({ inbox: 'allowlist' });
  },
  CLI_TEST_TIMEOUT_MS,
);
