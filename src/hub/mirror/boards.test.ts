/**
 * Mirroring boards (mirror/boards.ts) between two in-process hubs: a hive's
 * board on the source reaches the mirror with every notice byte for byte,
 * then each notice announced after a member's push, and after a restart of
 * the mirror only what is new; a person's inbox is never copied. The
 * sweep's checks run against a peer that serves what no client could put.
 */
import { afterEach, expect, test } from 'vitest';
import type { ObjectId, PseudonymId } from '../../protocol/ids.ts';
import { buildInboxPolicy } from '../../protocol/inbox-policy.ts';
import { nobleVerify, pseudonymOf, secretKeyFrom } from '../../protocol/keys.ts';
import { buildNotice } from '../../protocol/notices.ts';
import type { InboxAnswer, NoticeJson } from '../../protocol/routes.ts';
import { MemoryInboxStore } from '../store/memory/records.ts';
import { growFeed, pushFeed } from '../testing/feed-fixture.ts';
import {
  type TestHub,
  type TestHubOptions,
  aliceKey,
  bob,
  bobKey,
  put,
  signedNotice,
  waitFor,
} from '../testing/hub-fixture.ts';
import { mirrorHubs } from '../testing/mirror-hubs.ts';
import { sweepBoard } from './boards.ts';

const hubs = mirrorHubs();
afterEach(hubs.stopAll);
const hub = (options: TestHubOptions = {}) => hubs.start(options);

const hiveKey = secretKeyFrom(new Uint8Array(32).fill(40));
const hive = pseudonymOf(hiveKey);
const id = (c: string) => c.repeat(64) as ObjectId;

async function openBoard(t: TestHub): Promise<void> {
  const policy = buildInboxPolicy(hiveKey, { mode: 'board', senders: [], seq: 1, ts: Date.now() }, new Uint8Array(16));
  expect((await put(`${t.url}/v1/inbox-policy/${hive}`, policy.bytes)).status).toBe(201);
}

async function announce(t: TestHub, n: number, key = aliceKey, to: PseudonymId = hive): Promise<NoticeJson> {
  const signed = signedNotice(key, to, { kind: to === hive ? 'hive' : 'mention', n });
  const res = await fetch(`${t.url}/v1/inbox/${to}`, { method: 'POST', body: signed.bytes as BodyInit });
  expect(res.status).toBe(201);
  return { ...signed.notice, sig: signed.sig };
}

/** The board as anyone reads it (unsigned), every page. */
async function boardOf(t: TestHub): Promise<NoticeJson[]> {
  const notices: NoticeJson[] = [];
  let cursor: string | undefined;
  for (;;) {
    const res = await fetch(`${t.url}/v1/inbox/${hive}${cursor ? `?cursor=${cursor}` : ''}`);
    if (res.status !== 200) return notices;
    const page = (await res.json()) as InboxAnswer;
    notices.push(...page.notices);
    if (page.notices.length === 0 || page.next === undefined) return notices;
    cursor = page.next;
  }
}

test("a board reaches the mirror whole, then each notice announced after a member's push, and only once", async () => {
  const source = await hub();
  await openBoard(source);
  // The hive's feed and a member's: the mirror meets both in the source's log.
  const hiveFeed = growFeed(hiveKey, undefined, 1);
  await pushFeed(source.url, hiveFeed);
  let member = growFeed(aliceKey, undefined, 1);
  await pushFeed(source.url, member);
  const first = [await announce(source, 1), await announce(source, 2, bobKey)];
  // Control: a person's inbox beside it, which only its owner may read.
  await announce(source, 3, aliceKey, bob);

  const mirror = await hub({ peers: [source.url] });
  await waitFor('the board mirrored', async () => (await boardOf(mirror)).length === first.length, 30_000);
  expect(await boardOf(mirror)).toEqual(first);
  // The person's inbox stays the person's: unsigned, the mirror answers as the source does.
  expect((await fetch(`${mirror.url}/v1/inbox/${bob}`)).status).toBe(401);
  expect((await fetch(`${source.url}/v1/inbox/${bob}`)).status).toBe(401);

  // Live: a member pushes a post, then announces it (as every member's device does).
  const grown = growFeed(aliceKey, member, 1);
  await pushFeed(source.url, grown, member);
  member = grown;
  const later = await announce(source, 4);
  await waitFor('the new notice mirrored', async () => (await boardOf(mirror)).length === 3, 30_000);
  expect(await boardOf(mirror)).toEqual([...first, later]);

  // The mirror restarts; what the source took meanwhile arrives, and nothing twice.
  const restarted = await hubs.restart(mirror);
  const grownAgain = growFeed(aliceKey, member, 1);
  await pushFeed(source.url, grownAgain, member);
  const afterRestart = await announce(source, 5);
  await waitFor('the notice after a restart', async () => (await boardOf(restarted)).length >= 4, 30_000);
  expect(await boardOf(restarted)).toEqual([...first, later, afterRestart]);
  expect(await boardOf(restarted)).toEqual(await boardOf(source));
}, 120_000);

test('a sweep keeps what verifies and refuses by name what no client could have put, storing none of it', async () => {
  const inbox = new MemoryInboxStore();
  const now = Date.now();
  const good = buildNotice(aliceKey, { to: hive, kind: 'hive', ids: [id('a')], ts: now - 86_400_000 });
  const json = (n: typeof good): NoticeJson => ({ ...n.notice, sig: n.sig });
  const elsewhere = buildNotice(aliceKey, { to: bob, kind: 'hive', ids: [id('b')], ts: now });
  const ahead = buildNotice(aliceKey, { to: hive, kind: 'hive', ids: [id('c')], ts: now + 3_600_000 });
  const forged = { ...json(good), ids: [id('d')] };
  const served: unknown[] = [json(good), json(elsewhere), json(ahead), forged, { not: 'a notice' }, json(good)];
  const pages: Record<string, InboxAnswer> = {
    start: { notices: served.slice(0, 3) as NoticeJson[], next: '3' },
    '3': { notices: served.slice(3) as NoticeJson[], next: '6' },
    '6': { notices: [] },
  };
  const swept = await sweepBoard(hive, undefined, async (at) => pages[at ?? 'start']!, {
    inbox,
    verify: nobleVerify,
    now: () => now,
  });
  expect(swept.stored).toBe(1);
  expect(swept.cursor).toBe('6');
  expect(swept.refused.map((e) => e.name)).toEqual(['InvalidField', 'FutureTimestamp', 'BadSignature', 'DecodeError']);
  expect((await inbox.listNotices(hive, { cursor: 0, limit: 10 })).map((n) => n.signed.bytes)).toEqual([good.bytes]);
  expect(await inbox.listNotices(bob, { cursor: 0, limit: 10 })).toEqual([]);
});
