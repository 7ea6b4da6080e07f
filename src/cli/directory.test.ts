/**
 * The directory on the command line, as real processes against real hubs:
 * `settings --discoverable` puts the pseudonym's signed card on its hub at
 * once (the hub's own GET /v1/directory shows it; nothing before), `discover`
 * from another home finds it by topic with its card, marked followed after
 * `follow`; a new topic in its profile reaches the card; `--no-discoverable`
 * takes it out of the hub's answers; a change made while the hub was down
 * reaches it at the next `sync`.
 */
import { expect, test } from 'vitest';
import type { PseudonymId } from '../protocol/ids.ts';
import { murmur } from './testing/cli-process.ts';
import { CLI_TEST_TIMEOUT_MS, cliWorldForFile } from './testing/cli-world.ts';
import type { DiscoverAnswer } from './commands/directory.ts';
import type { SettingsAnswer } from './commands/settings.ts';

const world = cliWorldForFile();

/** The authors of the listings a hub answers its directory with (read straight from the hub, not through murmur). */
async function listedOn(hubUrl: string, topic: string): Promise<PseudonymId[]> {
  const answer = (await (await fetch(`${hubUrl}/v1/directory?topic=${topic}`)).json()) as {
    listings: { author: PseudonymId }[];
  };
  return answer.listings.map((l) => l.author);
}

test(
  'listed by settings --discoverable, found by discover --topic with its card, followed once followed; then out',
  async () => {
    const ann = await world.initUser('ann', world.hub);
    const ben = await world.initUser('ben', world.hub);
    await world.answer(ann.user, ['profile', 'set', '--bio', 'Ann writes about birds', '--topics', 'birds, maps']);
    // Not listed until she chooses it: the hub holds nothing, and discover finds no one.
    expect(await listedOn(world.hub.url, 'birds')).toEqual([]);
    expect(await world.answer<DiscoverAnswer>(ben.user, ['discover', '--topic', 'birds'])).toEqual({ people: [] });

    const listed = await world.answer<SettingsAnswer>(ann.user, ['settings', '--discoverable']);
    expect(listed).toEqual({
      ...{ inbox: 'open', allowed: [], approvedFollowers: [] },
      ...{ listing: 'listed', searchable: false, hubsUpToDate: 'yes' },
    });
    expect(await listedOn(world.hub.url, 'birds')).toEqual([ann.id]);

    const card = {
      id: ann.id,
      handle: ann.handle,
      name: 'ann',
      bio: 'Ann writes about birds',
      topics: ['birds', 'maps'],
      listedAt: expect.any(Number),
      followed: false,
    };
    expect(await world.answer<DiscoverAnswer>(ben.user, ['discover', '--topic', '#Birds'])).toEqual({
      people: [card],
    });
    // By words only once searchable too.
    expect(await world.answer<DiscoverAnswer>(ben.user, ['discover', '--q', 'WRITES'])).toEqual({ people: [] });
    await world.answer(ann.user, ['settings', '--searchable']);
    expect(await world.answer<DiscoverAnswer>(ben.user, ['discover', '--q', 'WRITES'])).toEqual({ people: [card] });
    expect(await world.answer<DiscoverAnswer>(ben.user, ['discover', '--topic', 'cats'])).toEqual({ people: [] });
    // Oneself is left out of one's own directory.
    expect(await world.answer<DiscoverAnswer>(ann.user, ['discover', '--topic', 'birds'])).toEqual({ people: [] });

    await world.answer(ben.user, ['follow', ann.handle]);
    expect(await world.answer<DiscoverAnswer>(ben.user, ['discover', '--topic', 'birds'])).toEqual({
      people: [{ ...card, followed: true }],
    });
    const words = await murmur(world.cli, ben.user, ['discover', '--topic', 'birds']);
    expect({ code: words.code, stdout: words.stdout.trim() }).toEqual({
      code: 0,
      stdout: `ann  ${ann.handle}  #birds #maps  followed`,
    });
    // A new topic in her profile reaches her card at once (profile set puts it again).
    expect(await listedOn(world.hub.url, 'rivers')).toEqual([]);
    await world.answer(ann.user, ['profile', 'set', '--topics', 'birds, maps, rivers']);
    expect(await listedOn(world.hub.url, 'rivers')).toEqual([ann.id]);

    // Taken out: at once, the hub answers without it, and so does discover.
    const out = await world.answer<SettingsAnswer>(ann.user, ['settings', '--no-discoverable']);
    expect(out).toMatchObject({ listing: 'unlisted', hubsUpToDate: 'yes' });
    expect(await listedOn(world.hub.url, 'birds')).toEqual([]);
    expect(await world.answer<DiscoverAnswer>(ben.user, ['discover', '--topic', 'birds'])).toEqual({ people: [] });
    // Not a topic: a usage error, asked of no hub.
    const bad = await murmur(world.cli, ben.user, ['discover', '--topic', 'two words', '--json']);
    expect({ code: bad.code, error: bad.json<{ error: string }>().error }).toEqual({ code: 2, error: 'InvalidField' });
  },
  CLI_TEST_TIMEOUT_MS,
);

test(
  '--no-discoverable takes it out of the hub’s answers; a change made while the hub was down reaches it at sync',
  async () => {
    const dir = await world.tempDir('murmur-cli-hub-');
    let hub = await world.hubProcess({ dataDir: dir });
    const cat = await world.initUser('cat', hub);
    await world.answer(cat.user, ['profile', 'set', '--topics', 'rivers']);
    await world.answer(cat.user, ['settings', '--discoverable']);
    expect(await listedOn(hub.url, 'rivers')).toEqual([cat.id]); // the control: listed while the hub answers

    await hub.stop();
    const offline = await world.answer<SettingsAnswer>(cat.user, ['settings', '--no-discoverable']);
    expect(offline).toMatchObject({ listing: 'unlisted', hubsUpToDate: expect.not.stringMatching(/^yes$/) });
    hub = await world.hubProcess({ dataDir: dir, port: hub.port });
    expect(await listedOn(hub.url, 'rivers')).toEqual([cat.id]); // the hub never heard of it

    await world.answer(cat.user, ['sync']);
    expect(await listedOn(hub.url, 'rivers')).toEqual([]);
    expect(await world.answer<SettingsAnswer>(cat.user, ['settings'])).toMatchObject({
      listing: 'unlisted',
      hubsUpToDate: 'yes',
    });
  },
  CLI_TEST_TIMEOUT_MS,
);
