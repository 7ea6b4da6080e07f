/**
 * The hub's HTTP contract, one set of cases run through the one hub client
 * against every hub there is: the real hub (a process-local server on
 * 127.0.0.1) and the in-memory test hub (workers/testing/memory-hub.ts) that
 * the worker's tests stand in for it. A fake that answers otherwise than the
 * real hub fails here, so tests passing against it mean something.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type SecretKey, pseudonymOf, secretKeyFrom } from '../protocol/keys.ts';
import { buildHandleClaim } from '../protocol/handles.ts';
import { headToJson } from '../protocol/heads.ts';
import { hashBytes } from '../protocol/ids.ts';
import { buildInboxPolicy } from '../protocol/inbox-policy.ts';
import { buildRetirement } from '../protocol/retirement.ts';
import { buildListing } from '../protocol/listing.ts';
import { buildPost } from '../protocol/objects.ts';
import { type RequestToSign, signRequest } from '../protocol/request-auth.ts';
import { LIMITS } from '../protocol/limits.ts';
import { MAX_BATCH_IDS, MAX_IDS_PER_REQUEST, WEBFINGER_PSEUDONYM } from '../protocol/routes.ts';
import { signedHead, signedNotice, startTestHub } from '../hub/testing/hub-fixture.ts';
import { MemoryHub } from '../../workers/testing/memory-hub.ts';
import { httpFetch } from '../cli/net/http-fetch.ts';
import { type HubClient, createHubClient } from './client.ts';
import { EventStreamParser, type ServerEvent } from './event-stream-parser.ts';

interface HubUnderTest {
  readonly client: HubClient;
  /** host[:port], what handle claims must name. */
  readonly host: string;
  stop(): Promise<void>;
}

const IMPLEMENTATIONS: readonly { name: string; start: () => Promise<HubUnderTest> }[] = [
  {
    name: 'the real hub',
    async start() {
      const hub = await startTestHub();
      return { client: createHubClient(hub.url, fetch), host: hub.host, stop: () => hub.stop() };
    },
  },
  {
    // The command line's fetch (node:http, not Node's fetch), against the real hub.
    name: 'the real hub, through the command line fetch',
    async start() {
      const hub = await startTestHub();
      return { client: createHubClient(hub.url, httpFetch), host: hub.host, stop: () => hub.stop() };
    },
  },
  {
    name: 'the in-memory test hub',
    async start() {
      const hub = new MemoryHub('http://memory.test');
      return { client: createHubClient(hub.origin, hub.fetch), host: new URL(hub.origin).host, stop: async () => {} };
    },
  },
];

const keyOf = (n: number) => secretKeyFrom(new Uint8Array(32).fill(n));
const signer = (key: SecretKey) => (request: RequestToSign) => signRequest(key, request);

async function nameOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return (error as Error).name;
  }
  return 'no error';
}

/** The events of a stream until `count` have come (or the body ends). */
async function eventsOf(res: Response, count: number): Promise<ServerEvent[]> {
  const reader = res.body!.getReader();
  const parser = new EventStreamParser();
  const events: ServerEvent[] = [];
  while (events.length < count) {
    const { value, done } = await reader.read();
    if (done) break;
    events.push(...parser.push(value));
  }
  reader.releaseLock();
  return events;
}

describe.each(IMPLEMENTATIONS)('against $name', ({ start }) => {
  let hub: HubUnderTest;
  beforeAll(async () => {
    hub = await start();
  });
  afterAll(() => hub.stop());

  test('blobs: missing, put, batch, get; HashMismatch, NotFound, Unauthenticated, ClockSkew', async () => {
    const key = keyOf(31);
    const post = buildPost({ author: pseudonymOf(key), body: 'contract blob', ts: Date.now() });
    const absent = hashBytes(new TextEncoder().encode('contract: never stored'));
    expect(await hub.client.missingBlobs([post.id, absent])).toEqual([post.id, absent]);
    await hub.client.putBlob(post.id, post.bytes, signer(key), Date.now());
    await hub.client.putBlob(post.id, post.bytes, signer(key), Date.now()); // idempotent
    expect(await hub.client.missingBlobs([post.id, absent])).toEqual([absent]);
    expect(await hub.client.batchBlobs([absent, post.id])).toEqual([{ id: post.id, bytes: post.bytes }]);
    expect(await hub.client.getBlob(post.id)).toEqual(post.bytes);
    expect(await nameOf(hub.client.getBlob(absent))).toBe('NotFound');
    expect(await nameOf(hub.client.putBlob(absent, post.bytes, signer(key), Date.now()))).toBe('HashMismatch');
    expect(await nameOf(hub.client.putBlob(post.id, post.bytes, () => ({}), Date.now()))).toBe('Unauthenticated');
    expect(await nameOf(hub.client.putBlob(post.id, post.bytes, signer(key), Date.now() - 10 * 60_000))).toBe(
      'ClockSkew',
    );
  });

  test('heads: compare-and-set on seq (StaleHead for equal or lower), WrongAuthor, and get', async () => {
    const key = keyOf(32);
    const author = pseudonymOf(key);
    const two = signedHead(key, 2).head;
    expect(await hub.client.putHead(author, two.bytes)).toMatchObject({ seq: 2 });
    expect(await nameOf(hub.client.putHead(author, two.bytes))).toBe('StaleHead');
    expect(await nameOf(hub.client.putHead(author, signedHead(key, 1).head.bytes))).toBe('StaleHead');
    expect(await nameOf(hub.client.putHead(pseudonymOf(keyOf(33)), signedHead(key, 3).head.bytes))).toBe('WrongAuthor');
    expect(await hub.client.getHeads([author, pseudonymOf(keyOf(33))])).toEqual({ [author]: headToJson(two) });
    const three = signedHead(key, 3).head;
    expect(await hub.client.putHead(author, three.bytes)).toMatchObject({ seq: 3 });
    expect(await hub.client.getHeads([author])).toEqual({ [author]: headToJson(three) });
  });

  test('changes: pages after `since`, oldest first, each author once at its latest head; next and last', async () => {
    const before = (await hub.client.listChanges(0)).last;
    const keys = [keyOf(41), keyOf(42), keyOf(43)];
    const heads = keys.map((key) => signedHead(key, 1).head);
    for (const [i, key] of keys.entries()) await hub.client.putHead(pseudonymOf(key), heads[i]!.bytes);
    const first = await hub.client.listChanges(before, 2);
    expect(first.changes.map((c) => c.author)).toEqual(keys.slice(0, 2).map(pseudonymOf));
    expect(first).toMatchObject({ next: first.changes[1]!.seq, last: before + 3 });
    const second = await hub.client.listChanges(first.next, 2);
    expect(second.changes.map((c) => c.author)).toEqual([pseudonymOf(keys[2]!)]);
    expect(second.changes[0]!.head).toEqual(headToJson(heads[2]!));

    // A newer head of the first author supersedes its change: it is listed once, last.
    await hub.client.putHead(pseudonymOf(keys[0]!), signedHead(keys[0]!, 2).head.bytes);
    const all = await hub.client.listChanges(before);
    expect(all.changes.map((c) => [c.author, c.head.seq])).toEqual([
      [pseudonymOf(keys[1]!), 1],
      [pseudonymOf(keys[2]!), 1],
      [pseudonymOf(keys[0]!), 2],
    ]);
    expect(all).toMatchObject({ next: before + 4, last: before + 4 });
    expect(await hub.client.listChanges(all.next)).toEqual({ changes: [], next: all.next, last: all.last });
  });

  test('handles: claim (again by its holder), WebFinger, HandleTaken, WrongHost, NotFound', async () => {
    const key = keyOf(51);
    const claim = (k: SecretKey, name: string, host = hub.host) =>
      buildHandleClaim(k, { name, host, ts: Date.now() }).bytes;
    await hub.client.putHandle('contract', claim(key, 'contract'));
    await hub.client.putHandle('contract', claim(key, 'contract'));
    const jrd = await hub.client.webfinger(`acct:contract@${hub.host}`);
    expect(jrd.subject).toBe(`acct:contract@${hub.host}`);
    expect(jrd.properties?.[WEBFINGER_PSEUDONYM]).toBe(pseudonymOf(key));
    expect(await nameOf(hub.client.putHandle('contract', claim(keyOf(52), 'contract')))).toBe('HandleTaken');
    expect(await nameOf(hub.client.putHandle('elsewhere', claim(keyOf(52), 'elsewhere', 'elsewhere.test')))).toBe(
      'WrongHost',
    );
    expect(await nameOf(hub.client.putHandle('other', claim(keyOf(52), 'mismatch')))).toBe('InvalidField');
    expect(await nameOf(hub.client.webfinger(`acct:nobody@${hub.host}`))).toBe('NotFound');
    expect(await nameOf(hub.client.webfinger('contract'))).toBe('BadRequest');
  });

  test('inbox: post notices, page them to their owner only, by cursor; ClockSkew for an old notice', async () => {
    const owner = keyOf(61);
    const sender = keyOf(62);
    const to = pseudonymOf(owner);
    const notices = [signedNotice(sender, to, { n: 1 }), signedNotice(sender, to, { n: 2 })];
    for (const n of notices) await hub.client.postNotice(to, n.bytes);
    await hub.client.postNotice(to, notices[0]!.bytes); // held already: not listed twice
    const page = await hub.client.listInbox(to, undefined, signer(owner), Date.now());
    expect(page.notices).toEqual(notices.map((n) => ({ ...n.notice, sig: n.sig })));
    expect(page.next).toMatch(/^[0-9]+$/);
    expect(await hub.client.listInbox(to, page.next, signer(owner), Date.now())).toEqual({ notices: [] });
    expect(await nameOf(hub.client.listInbox(to, undefined, signer(sender), Date.now()))).toBe('Forbidden');
    expect(
      await nameOf(hub.client.postNotice(to, signedNotice(sender, to, { ts: Date.now() - 10 * 60_000 }).bytes)),
    ).toBe('ClockSkew');
    expect(await nameOf(hub.client.postNotice(pseudonymOf(sender), notices[0]!.bytes))).toBe('InvalidField');
  });

  test('inbox policies: put, get, StalePolicy; a closed inbox refuses a stranger with InboxClosed', async () => {
    const owner = keyOf(63);
    const [friend, stranger] = [keyOf(64), keyOf(65)];
    const to = pseudonymOf(owner);
    expect(await hub.client.findInboxPolicy(to)).toBeUndefined();
    const ts = Date.now();
    const policy = (seq: number) =>
      buildInboxPolicy(owner, { mode: 'closed', senders: [pseudonymOf(friend)], seq, ts }, new Uint8Array(16));
    await hub.client.putInboxPolicy(to, policy(2).bytes);
    await hub.client.putInboxPolicy(to, policy(2).bytes); // the same again: held
    expect(await hub.client.findInboxPolicy(to)).toEqual(policy(2).bytes);
    expect(await nameOf(hub.client.putInboxPolicy(to, policy(1).bytes))).toBe('StalePolicy');
    await hub.client.postNotice(to, signedNotice(friend, to).bytes);
    expect(await nameOf(hub.client.postNotice(to, signedNotice(stranger, to).bytes))).toBe('InboxClosed');
    const page = await hub.client.listInbox(to, undefined, signer(owner), Date.now());
    expect(page.notices.map((n) => n.from)).toEqual([pseudonymOf(friend)]);
  });

  test('retirement: releases the handle for another; the retired key claims none (Retired)', async () => {
    const [retiring, next] = [keyOf(66), keyOf(67)];
    const claim = (key: SecretKey) => buildHandleClaim(key, { name: 'retiring', host: hub.host, ts: Date.now() }).bytes;
    await hub.client.putHandle('retiring', claim(retiring));
    expect(await nameOf(hub.client.putHandle('retiring', claim(next)))).toBe('HandleTaken');
    await hub.client.putRetirement(pseudonymOf(retiring), buildRetirement(retiring, { ts: Date.now() }).bytes);
    await hub.client.putHandle('retiring', claim(next));
    expect(await nameOf(hub.client.putHandle('retiring', claim(retiring)))).toBe('Retired');
  });

  test('directory: by topic and words, paged by id and limit; StaleListing; an unlisting takes it out', async () => {
    const [one, two] = [keyOf(68), keyOf(69)];
    const card = (key: SecretKey, seq: number, topics: string[]) =>
      buildListing(key, {
        seq,
        ts: Date.now(),
        handle: `p${seq}@${hub.host}`,
        bio: 'Builds Boats',
        topics,
        searchable: true,
      }).bytes;
    await hub.client.putListing(pseudonymOf(one), card(one, 1, ['sailing']));
    await hub.client.putListing(pseudonymOf(two), card(two, 1, ['sailing', 'wood']));
    expect(await nameOf(hub.client.putListing(pseudonymOf(one), card(one, 1, ['rust'])))).toBe('StaleListing');
    const ids = (answer: { listings: readonly { author: string }[] }) => answer.listings.map((l) => l.author);
    expect(ids(await hub.client.listDirectory({ topic: 'wood' }))).toEqual([pseudonymOf(two)]);
    const both = [one, two].map(pseudonymOf).sort();
    expect(ids(await hub.client.listDirectory({ topic: 'sailing', q: 'boats' }))).toEqual(both);
    // A limit asks for a shorter page; its next cursor gives the rest.
    const first = await hub.client.listDirectory({ topic: 'sailing', limit: 1 });
    expect({ ids: ids(first), next: first.next }).toEqual({ ids: [both[0]], next: both[0] });
    expect(ids(await hub.client.listDirectory({ topic: 'sailing', cursor: first.next! }))).toEqual([both[1]]);
    await hub.client.putListing(pseudonymOf(two), buildListing(two, { seq: 2, ts: Date.now(), unlisted: true }).bytes);
    expect(ids(await hub.client.listDirectory({ topic: 'sailing' }))).toEqual([pseudonymOf(one)]);
  });

  test('hub info: a name, a version, and the limits a client plans its requests by', async () => {
    const info = await hub.client.hubInfo();
    expect(info).toEqual({
      name: expect.any(String),
      version: expect.any(String),
      limits: { blobBytes: LIMITS.blobBytes, batchIds: MAX_BATCH_IDS, streamAuthors: MAX_IDS_PER_REQUEST },
    });
  });

  test('stream: the current head, then each change, ids the change numbers; ?all=1 without opening heads', async () => {
    const key = keyOf(71);
    const author = pseudonymOf(key);
    const one = signedHead(key, 1).head;
    await hub.client.putHead(author, one.bytes);
    const stop = new AbortController();
    const some = await hub.client.openStream({ authors: [author] }, { signal: stop.signal });
    const all = await hub.client.openStream({ all: true }, { signal: stop.signal });
    try {
      const [opening] = await eventsOf(some, 1);
      expect(opening).toMatchObject({ type: 'head' });
      expect(JSON.parse(opening!.data)).toEqual(headToJson(one));
      const two = signedHead(key, 2).head;
      await hub.client.putHead(author, two.bytes);
      const [live] = await eventsOf(some, 1);
      expect(JSON.parse(live!.data)).toEqual(headToJson(two));
      expect(Number(live!.lastEventId)).toBe(Number(opening!.lastEventId) + 1);
      const [heard] = await eventsOf(all, 1);
      expect(heard).toEqual(live);
    } finally {
      stop.abort();
    }
  });
});
