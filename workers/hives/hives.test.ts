/**
 * A hive assembled with its owner offline (issue 21 point 2; PROTOCOL.md,
 * Assembling a hive), on two real hubs. Olive creates the hive on hub A and
 * closes her device for good. Bob (hub A) and Carol (hub B) join, post,
 * comment two levels deep and vote; Eve (hub B) posts without joining; Dave
 * (hub B) never joins and only reads. Every reader computes the same view from
 * the hive's feed and its board, and nothing they read was checked by a hub
 * for meaning: Eve's post is on the board and shown by nobody, a notice that
 * lies about its commit's author is dropped by name.
 */
import { afterEach, beforeEach, expect, test } from 'vitest';
import { type TestHub, startTestHub } from '../../src/hub/testing/hub-fixture.ts';
import { buildNotice } from '../../src/protocol/notices.ts';
import type { HiveAddress, HiveRead } from '../api/hives-types.ts';
import { type Device, openDevice, waitSynced } from '../testing/device.ts';
import { ok } from '../testing/ok.ts';
import { waitFor } from '../testing/wait.ts';

let hubA: TestHub;
let hubB: TestHub;
const devices: Device[] = [];
beforeEach(async () => {
  [hubA, hubB] = await Promise.all([startTestHub(), startTestHub()]);
});
afterEach(async () => {
  await Promise.all(devices.splice(0).map((d) => d.close()));
  await Promise.all([hubA.stop(), hubB.stop()]);
});

async function person(name: string, hub: TestHub) {
  const d = await openDevice();
  devices.push(d);
  const me = await d.api.createPseudonym({ name, homeHub: hub.url });
  // Published, as the app's onboarding does: readers who follow nobody name members by it.
  ok(await d.api.setProfile(me.id, { name }));
  return { d, me: me.id };
}
type Person = Awaited<ReturnType<typeof person>>;

const read = async (p: Person, at: HiveAddress) => ok(await p.d.api.readHive(p.me, at));

/** What every reader must agree on: the settings, members, shown posts and comments with their votes, the log. */
function view(read: HiveRead) {
  const { state } = read;
  if (!state.exists) return { exists: false };
  return {
    settings: state.settings,
    members: state.members.map((m) => `${m.id.slice(0, 8)} ${m.role} ${m.admitted ? 'admitted' : 'out'}`),
    posts: state.posts.map((p) => `${p.object.title} ${p.votes.ups}/${p.votes.downs}`),
    comments: state.comments.map((c) => `${c.object.body} ${c.votes.score}`),
    log: state.log.map((l) => l.action),
  };
}

test('members on two hubs post, comment two deep and vote while the owner stays offline; all views agree', async () => {
  const olive = await person('Olive', hubA);
  const at = ok(
    await olive.d.api.createHive(olive.me, { name: 'Herons', rules: 'Be kind to birds', membership: 'open' }),
  );
  expect(at.hubs).toEqual([hubA.url]);
  const [bob, carol, eve, dave] = await Promise.all([
    person('Bob', hubA),
    person('Carol', hubB),
    person('Eve', hubB),
    person('Dave', hubB),
  ]);
  await waitFor(
    'the charter on hub A',
    () => read(dave, at),
    (r) => r.state.exists,
  );
  // Olive is gone from here on: nothing below needs her device.
  await olive.d.close();
  devices.splice(devices.indexOf(olive.d), 1);

  ok(await bob.d.api.joinHive(bob.me, at));
  ok(await carol.d.api.joinHive(carol.me, at));
  const post = ok(await bob.d.api.postToHive(bob.me, at, { title: 'A heron at dawn', body: 'On one leg.' }));
  ok(await eve.d.api.postToHive(eve.me, at, { title: 'Buy cheap feathers', link: 'https://spam.example/' }));
  const top = ok(await carol.d.api.commentInHive(carol.me, at, { post: post.id!, body: 'Lovely' }));
  ok(await bob.d.api.commentInHive(bob.me, at, { post: post.id!, parent: top.id!, body: 'Thanks!' }));
  ok(await carol.d.api.voteInHive(carol.me, at, post.id!, 1));
  ok(await bob.d.api.voteInHive(bob.me, at, top.id!, 1));
  // Carol changes her mind: one standing vote per voter.
  ok(await carol.d.api.voteInHive(carol.me, at, post.id!, -1));
  ok(await carol.d.api.voteInHive(carol.me, at, post.id!, 1));

  const expected = {
    settings: { name: 'Herons', rules: 'Be kind to birds', membership: 'open', listed: false },
    posts: ['A heron at dawn 1/0'],
    comments: ['Lovely 1', 'Thanks! 0'],
    log: ['charter'],
  };
  const settled = (r: HiveRead) => r.notices === 10 && view(r).comments?.length === 2;
  const daves = await waitFor('every announcement on the board', () => read(dave, at), settled);
  expect(view(daves)).toMatchObject(expected);
  expect(daves.dropped).toEqual([]);
  // Eve's post is on the board, and shown by nobody: she never joined.
  expect(view(daves).members).toHaveLength(3);
  for (const reader of [bob, carol, eve]) expect(view(await read(reader, at))).toEqual(view(daves));
  // Each reads its own standing votes from the signed ones (Carol's last word on the post is +1); Dave has none.
  expect((await read(carol, at)).mine).toEqual({ [post.id!]: 1 });
  expect((await read(bob, at)).mine).toEqual({ [top.id!]: 1 });
  expect(daves.mine).toEqual({});
  // Dave follows nobody, yet the people the hive shows come by name (their feeds fetched to name them); not Eve.
  const named = await waitFor(
    'the people shown named',
    () => Promise.all([olive, bob, carol].map((p) => dave.d.api.getContact(dave.me, p.me))),
    (contacts) => contacts.every((c) => c.name !== undefined),
  );
  expect(named.map((c) => c.name)).toEqual(['Olive', 'Bob', 'Carol']);
  expect((await dave.d.api.getContact(dave.me, eve.me)).name).toBeUndefined();

  // A notice that names Bob's commit as Eve's: dropped by name, the view unchanged.
  const forged = buildNotice((await eveKey(eve)).secretKey, {
    to: at.hive,
    kind: 'hive',
    ids: [post.commitId],
    ts: Date.now(),
  });
  const res = await fetch(`${hubA.url}/v1/inbox/${at.hive}`, { method: 'POST', body: forged.bytes as BodyInit });
  expect(res.status).toBe(201);
  const after = await read(dave, at);
  expect(after.dropped).toEqual([{ from: eve.me, commit: post.commitId, reason: 'WrongAuthor' }]);
  expect(view(after)).toEqual(view(daves));

  // Read again with nothing new: the board from where the last read ended, no blob fetched again, the same view.
  const before = dave.d.net.urls.length;
  expect(view(await read(dave, at))).toEqual(view(daves));
  const asked = dave.d.net.urls.slice(before).map((u) => new URL(u));
  expect(asked.filter((u) => u.pathname === '/v1/blobs/batch')).toEqual([]);
  expect(asked.filter((u) => u.pathname.startsWith('/v1/inbox/')).map((u) => u.searchParams.has('cursor'))).toEqual([
    true,
  ]);

  // Each device lists the hives its pseudonym made or joined, by name once read; a reader who never joined, none.
  expect(await bob.d.api.listHives(bob.me)).toMatchObject([{ hive: at.hive, hubs: [hubA.url], left: false }]);
  ok(await bob.d.api.leaveHive(bob.me, at));
  await read(bob, at);
  expect(await bob.d.api.listHives(bob.me)).toMatchObject([
    { hive: at.hive, name: 'Herons', left: true, owned: false },
  ]);
  expect(await dave.d.api.listHives(dave.me)).toEqual([]);
});

test('an approval hive moderated while its owner is offline: approve, remove with a reason, ban', async () => {
  const olive = await person('Olive', hubA);
  const [mia, bob, dave] = await Promise.all([person('Mia', hubB), person('Bob', hubA), person('Dave', hubB)]);
  const at = ok(await olive.d.api.createHive(olive.me, { name: 'Quiet birds', membership: 'approval' }));
  ok(await olive.d.api.moderateHive(olive.me, at, { kind: 'moderator', member: mia.me, action: 'add' }));
  await waitFor(
    'Mia a moderator',
    () => read(dave, at),
    (r) => r.state.exists && r.state.moderators.includes(mia.me),
  );
  await olive.d.close();
  devices.splice(devices.indexOf(olive.d), 1);

  ok(await bob.d.api.joinHive(bob.me, at));
  ok(await bob.d.api.postToHive(bob.me, at, { title: 'Before approval', body: 'hello?' }));
  const waiting = await waitFor(
    'Bob waiting',
    () => read(dave, at),
    (r) => r.notices === 2,
  );
  expect(view(waiting).posts).toEqual([]);
  expect(view(waiting).members).toContain(`${bob.me.slice(0, 8)} member out`);

  ok(await mia.d.api.moderateHive(mia.me, at, { kind: 'member', member: bob.me, action: 'approve' }));
  const first = ok(await bob.d.api.postToHive(bob.me, at, { title: 'Approved now', body: 'hi all' }));
  ok(await bob.d.api.postToHive(bob.me, at, { title: 'Second', body: 'more' }));
  ok(await mia.d.api.moderateHive(mia.me, at, { kind: 'remove', target: first.id!, reason: 'off topic' }));
  const moderated = await waitFor(
    'approve, posts, removal',
    () => read(dave, at),
    (r) => r.notices === 6,
  );
  // Held until the approval, then shown (approving a member lets in what they said while waiting); removed: gone.
  expect(view(moderated).posts).toEqual(['Before approval 0/0', 'Second 0/0']);
  expect(moderated.state.exists && moderated.state.log.at(-1)).toMatchObject({
    by: mia.me,
    role: 'moderator',
    action: 'remove',
    target: first.id,
    reason: 'off topic',
  });

  ok(await mia.d.api.moderateHive(mia.me, at, { kind: 'member', member: bob.me, action: 'ban' }));
  const banned = await waitFor(
    'the ban',
    () => read(dave, at),
    (r) => r.notices === 7,
  );
  expect(view(banned).posts).toEqual([]);
  expect(view(banned).log).toEqual(['charter', 'mod_add', 'approve', 'remove', 'ban']);
  expect(view(await read(bob, at))).toEqual(view(banned));
});

test('a hive on two hubs keeps working while one is down; that hub catches up once it is back', async () => {
  const olive = await person('Olive', hubA);
  const [bob, dave] = await Promise.all([person('Bob', hubB), person('Dave', hubB)]);
  const at = ok(
    await olive.d.api.createHive(olive.me, { name: 'Two homes', membership: 'open', hubs: [hubA.url, hubB.url] }),
  );
  const onlyA = { hive: at.hive, hubs: [hubA.url] };
  const onlyB = { hive: at.hive, hubs: [hubB.url] };
  // The hive's feed reaches both hubs (the second by replication), so each alone can show the hive.
  await waitFor(
    'the charter on both hubs',
    async () => [await read(dave, onlyA), await read(dave, onlyB)],
    (r) => r.every((x) => x.state.exists),
  );

  // Hub A goes down for a while: Bob's acts reach B, and a reader asking both hubs reads them there.
  const port = hubA.hub.port;
  await hubA.hub.close();
  ok(await bob.d.api.joinHive(bob.me, at));
  ok(await bob.d.api.postToHive(bob.me, at, { title: 'While A sleeps', body: 'still here' }));
  const viaB = await waitFor(
    'the post through B',
    () => read(dave, at),
    (r) => view(r).posts?.length === 1,
  );
  expect(view(viaB).posts).toEqual(['While A sleeps 0/0']);
  // Control: A alone cannot be read while it is down.
  expect(await dave.d.api.readHive(dave.me, onlyA)).toMatchObject({ ok: false });

  // A is back (same data, same port): Bob's queued announcements reach it, and A alone shows the same view.
  hubA = await startTestHub({ dataDir: hubA.dataDir, port });
  const viaA = await waitFor(
    'A caught up',
    () => read(dave, onlyA),
    (r) => view(r).posts?.length === 1,
  );
  expect(view(viaA)).toEqual(view(viaB));
});

test("a member whose own hub is down takes part through the hive's hub; its feed catches up later", async () => {
  const olive = await person('Olive', hubA);
  const [carol, dave] = await Promise.all([person('Carol', hubB), person('Dave', hubA)]);
  const at = ok(await olive.d.api.createHive(olive.me, { name: 'Stormy', membership: 'open' }));
  ok(await carol.d.api.joinHive(carol.me, at));
  await waitSynced(carol.d, carol.me);

  // Carol's home hub goes down: her post still reaches the hive, whose hub takes her commit with the announcement.
  const port = hubB.hub.port;
  await hubB.hub.close();
  const post = ok(await carol.d.api.postToHive(carol.me, at, { title: 'From the storm', body: 'my hub is down' }));
  const seen = await waitFor(
    'the post through the hive hub',
    () => read(dave, at),
    (r) => view(r).posts?.length === 1,
  );
  expect(view(seen).posts).toEqual(['From the storm 0/0']);
  // Control: her own feed is not on her hub while it is down (her device still owes it).
  expect((await carol.d.api.getSyncStatus(carol.me)).state).not.toBe('synced');

  // Her hub is back: her device pushes what it owed, and her hub holds the commit that made the post.
  hubB = await startTestHub({ dataDir: hubB.dataDir, port });
  await waitSynced(carol.d, carol.me);
  const held = await fetch(`${hubB.url}/v1/blobs/${post.commitId}`);
  expect(held.status).toBe(200);
});

test("a hub that mirrors the hive's hub serves the whole hive, board too: a reader may ask it alone", async () => {
  const mirror = await startTestHub({
    peers: [hubA.url],
    mirrorTiming: { retryMinMs: 20, retryMaxMs: 200, pollMs: 60_000 },
  });
  try {
    const olive = await person('Olive', hubA);
    const [bob, carol, dave] = await Promise.all([person('Bob', hubA), person('Carol', hubB), person('Dave', hubB)]);
    const at = ok(await olive.d.api.createHive(olive.me, { name: 'Mirrored', membership: 'open' }));
    ok(await bob.d.api.joinHive(bob.me, at));
    const post = ok(await bob.d.api.postToHive(bob.me, at, { title: 'Seen everywhere', body: 'from A' }));
    ok(await carol.d.api.joinHive(carol.me, at));
    ok(await carol.d.api.commentInHive(carol.me, at, { post: post.id!, body: 'from B, through A' }));
    ok(await carol.d.api.voteInHive(carol.me, at, post.id!, 1));
    const viaA = await waitFor(
      'every act on hub A',
      () => read(dave, at),
      (r) => view(r).comments?.length === 1 && r.state.exists && r.state.posts[0]?.votes.ups === 1,
    );
    // Nobody announced anything to the mirror: it copied the hive's feed, the members' commits and the board.
    const onlyMirror = { hive: at.hive, hubs: [mirror.url] };
    const viaMirror = await waitFor(
      'the same hive through the mirror',
      () => read(dave, onlyMirror),
      (r) => JSON.stringify(view(r)) === JSON.stringify(view(viaA)),
    );
    expect(view(viaMirror).posts).toEqual(['Seen everywhere 1/0']);
    expect(view(viaMirror).comments).toEqual(['from B, through A 0']);
  } finally {
    await mirror.stop();
  }
});

test('a listed hive is found among hives by its handle, never among people; unlisted, it is gone', async () => {
  const olive = await person('Olive', hubA);
  const dave = await person('Dave', hubA);
  ok(await dave.d.api.claimHandle(dave.me, 'dave'));
  ok(await dave.d.api.setDiscoverable(dave.me, true));
  await dave.d.api.syncNow(dave.me);
  const listed = ok(
    await olive.d.api.createHive(olive.me, {
      name: 'Grey Herons',
      description: 'Wading\nbirds',
      membership: 'open',
      listed: true,
    }),
  );
  // Control: an unlisted hive made beside it is not in the directory.
  ok(await olive.d.api.createHive(olive.me, { name: 'Secret pond', membership: 'open' }));
  const found = await waitFor(
    'the hive listed',
    async () => ok(await dave.d.api.listListedHives(dave.me)),
    (h) => h.length > 0,
  );
  expect(found).toEqual([
    expect.objectContaining({
      hive: listed.hive,
      hubs: [hubA.url],
      handle: `grey-herons@${hubA.host}`,
      name: 'Grey Herons',
      bio: 'Wading birds',
    }),
  ]);
  // The hive opens from its listing alone (its home hub, where its handle is claimed).
  expect(ok(await dave.d.api.readHive(dave.me, found[0]!)).state).toMatchObject({ exists: true, owner: olive.me });
  // Olive's Discover, of people: Dave, listed, and not the hive listed beside him.
  const listedPeople = () => olive.d.api.discover(olive.me, {});
  const people = (
    await waitFor(
      'Dave listed',
      async () => ok(await listedPeople()).people,
      (p) => p.length > 0,
    )
  ).map((p) => p.handle);
  expect(people).toEqual([`dave@${hubA.host}`]);

  // A second hive may not take the handle; the owner unlists the first, and it leaves the directory.
  expect(
    await olive.d.api.createHive(olive.me, { name: 'Grey Herons', membership: 'open', listed: true }),
  ).toMatchObject({ ok: false, error: 'HandleTaken' });
  ok(await olive.d.api.moderateHive(olive.me, listed, { kind: 'settings', settings: { listed: false } }));
  expect(ok(await dave.d.api.listListedHives(dave.me))).toEqual([]);
});

/** Eve's secret key, read from her device's keyring (a test reaching in, as no app code may). */
async function eveKey(eve: Person) {
  const row = await eve.d.db.get('pseudonyms', eve.me);
  return { secretKey: row!.secretKey! };
}
