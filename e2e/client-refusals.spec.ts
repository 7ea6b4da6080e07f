/**
 * The app's own checks, in Chromium: a hub that does not check (e2e/lying-hub.ts, a proxy in front of a real
 * hub) serves Alice a commit forged in Bob's name, a post whose bytes do not match its id, and a rolled-back
 * head. refusals.spec.ts shows the real hub refusing forgeries, so no client ever receives them; here the client
 * does, and must refuse each itself: nothing of it shown, nothing of it in IndexedDB, and the refusal in words
 * in the sync status. Bob is a key in this process, publishing through the proxy as any client would.
 */
import type { APIRequestContext, Browser, Page } from '@playwright/test';
import { buildCommit } from '../src/protocol/commits.ts';
import { buildHandleClaim } from '../src/protocol/handles.ts';
import { type SignedHead, buildHead, headToJson } from '../src/protocol/heads.ts';
import { type CommitId, hashBytes } from '../src/protocol/ids.ts';
import { pseudonymOf, secretKeyFrom } from '../src/protocol/keys.ts';
import { type BuiltObject, type PostObject, buildPost } from '../src/protocol/objects.ts';
import { newRequestNonce, signRequest } from '../src/protocol/request-auth.ts';
import { expect, followHandle, onboard, postWithBody, test } from './fixtures.ts';
import type { HubProcess } from './hubs.ts';
import { dumpIndexedDb, linesWith } from './idb-dump.ts';
import { type LyingHub, startLyingHub } from './lying-hub.ts';

const bobKey = secretKeyFrom(new Uint8Array(32).fill(71));
const bob = pseudonymOf(bobKey);
const mallory = secretKeyFrom(new Uint8Array(32).fill(66));
const utf8 = (text: string) => new TextEncoder().encode(text);

const lyingTest = test.extend<{ lying: LyingHub }>({
  // biome-ignore lint/correctness/noEmptyPattern: Playwright requires a pattern as a fixture's first parameter.
  lying: async ({}, use) => {
    const hub = await startLyingHub('lying');
    await use(hub);
    await hub.stop();
  },
});

/** Bob's side: a feed built and signed here, published through the proxy (passed through to the real hub). */
class BobFeed {
  readonly commits: CommitId[] = [];
  readonly heads: SignedHead[] = [];
  constructor(
    readonly request: APIRequestContext,
    readonly hub: LyingHub,
  ) {}

  async claim(): Promise<string> {
    const claim = buildHandleClaim(bobKey, { name: 'bob', host: this.hub.host, ts: Date.now() });
    const res = await this.request.put(`${this.hub.url}/v1/handles/bob`, { data: Buffer.from(claim.bytes) });
    expect(res.status()).toBe(201);
    return `bob@${this.hub.host}`;
  }

  async putBlob(id: string, bytes: Uint8Array): Promise<void> {
    const path = `/v1/blobs/${id}`;
    const auth = { method: 'PUT', path, body: bytes, ts: Date.now(), host: this.hub.host, nonce: newRequestNonce() };
    const res = await this.request.put(`${this.hub.url}${path}`, {
      data: Buffer.from(bytes),
      headers: signRequest(bobKey, auth),
    });
    expect(res.ok()).toBe(true);
  }

  /** Builds Bob's next post and the commit naming it (after his newest), stores both; the head is put apart. */
  async post(body: string): Promise<{ post: BuiltObject<PostObject>; commit: CommitId; head: SignedHead }> {
    const post = buildPost({ author: bob, body, ts: Date.now() });
    const seq = this.commits.length + 1;
    const commit = buildCommit(bobKey, {
      parents: this.commits.slice(-1),
      seq,
      ts: Date.now(),
      ops: [{ type: 'post', object: post.id }],
    });
    await this.putBlob(post.id, post.bytes);
    await this.putBlob(commit.id, commit.bytes);
    this.commits.push(commit.id);
    const head = buildHead(bobKey, { heads: [commit.id], seq, ts: Date.now() });
    this.heads.push(head);
    return { post, commit: commit.id, head };
  }

  async putHead(head: SignedHead): Promise<void> {
    const res = await this.request.put(`${this.hub.url}/v1/heads/${bob}`, { data: Buffer.from(head.bytes) });
    expect(res.ok()).toBe(true);
  }
}

/** Alice on hub A follows Bob on the proxy and sees his first post: from here the proxy may lie. */
async function aliceFollowsBob(browser: Browser, request: APIRequestContext, hubA: HubProcess, lying: LyingHub) {
  const feed = new BobFeed(request, lying);
  const handle = await feed.claim();
  const first = await feed.post('bob one');
  await feed.putHead(first.head);
  const alice = await (await browser.newContext()).newPage();
  await onboard(alice, hubA, 'Alice', 'alice');
  await followHandle(alice, handle);
  await expect(postWithBody(alice, 'bob one')).toHaveCount(1);
  await expect(alice.getByTestId('sync-status')).toHaveText('Synced');
  return { alice, feed, first };
}

/** Nothing of `texts` anywhere in Alice's IndexedDB, while what she does hold is found by the same search. */
async function expectNotStored(alice: Page, held: readonly string[], texts: readonly string[]) {
  const dump = await dumpIndexedDb(alice);
  for (const text of held) expect(linesWith(dump, text).length, `held: ${text}`).toBeGreaterThan(0);
  for (const text of texts) expect(linesWith(dump, text), `stored: ${text}`).toEqual([]);
}

lyingTest(
  'a commit forged in the name of a followed author is refused, named, and not stored',
  async ({ browser, request, hubA, lying }) => {
    const { alice, first } = await aliceFollowsBob(browser, request, hubA, lying);
    // Mallory signs a commit and rewrites its author to Bob; Bob's own (stolen or replayed) head names it.
    const forgedPost = buildPost({ author: bob, body: 'forged in bob’s name', ts: Date.now() });
    const signed = buildCommit(mallory, {
      parents: [first.commit],
      seq: 2,
      ts: Date.now(),
      ops: [{ type: 'post', object: forgedPost.id }],
    });
    const forged = utf8(new TextDecoder().decode(signed.bytes).replace(pseudonymOf(mallory), bob));
    const forgedId = hashBytes(forged);
    lying.lieBlob(forgedId, forged);
    lying.lieBlob(forgedPost.id, forgedPost.bytes);
    lying.lieHead(bob, headToJson(buildHead(bobKey, { heads: [forgedId as CommitId], seq: 2, ts: Date.now() })));

    await alice.reload(); // the stream opens again, and the proxy's first event is the forged head
    await expect(alice.getByTestId('sync-status')).toHaveText(
      `Error: Refused an update of a feed you follow: ${lying.host} sent a signature that does not verify, so it is ` +
        'not from the person it names. Nothing of it was stored.',
    );
    await expect(postWithBody(alice, 'bob one')).toHaveCount(1);
    await expect(alice.getByText('forged in bob’s name')).toHaveCount(0);
    await expectNotStored(alice, [first.commit, 'bob one'], [forgedId, forgedPost.id, 'forged in bob’s name']);
  },
);

lyingTest(
  'a post whose bytes do not match its id is refused, named, and not stored; the true bytes then are',
  async ({ browser, request, hubA, lying }) => {
    const { alice, feed, first } = await aliceFollowsBob(browser, request, hubA, lying);
    const second = await feed.post('bob two');
    lying.lieBlob(second.post.id, utf8(new TextDecoder().decode(second.post.bytes).replace('bob two', 'bob 2wo')));
    await feed.putHead(second.head); // heard live: the catch-up fetches the post through the proxy
    await expect(alice.getByTestId('sync-status')).toHaveText(
      `Error: Refused an update of a feed you follow: ${lying.host} sent data that does not match its id (altered ` +
        'or damaged on the way). Nothing of it was stored.',
    );
    await expect(alice.getByText('bob 2wo')).toHaveCount(0);
    await expect(alice.getByText('bob two')).toHaveCount(0);
    await expectNotStored(alice, [first.commit, 'bob one'], [second.commit, 'bob two', 'bob 2wo']);

    // The same hub telling the truth again: the post arrives and the refusal goes.
    lying.honest();
    await alice.reload();
    await expect(postWithBody(alice, 'bob two')).toHaveCount(1);
    await expect(alice.getByTestId('sync-status')).toHaveText('Synced');
  },
);

lyingTest(
  'a rolled-back head is refused and named; the newer posts stay',
  async ({ browser, request, hubA, lying }) => {
    const { alice, feed, first } = await aliceFollowsBob(browser, request, hubA, lying);
    const second = await feed.post('bob two');
    await feed.putHead(second.head);
    await expect(postWithBody(alice, 'bob two')).toHaveCount(1);

    // Bob's own first head, genuinely signed, served again as if it were his newest: hiding 'bob two'.
    lying.lieHead(bob, headToJson(first.head));
    await alice.reload();
    await expect(alice.getByTestId('sync-status')).toHaveText(
      `Error: Refused an update of a feed you follow: ${lying.host} sent an older version of the feed than this ` +
        'device holds (the newer one is kept). Nothing of it was stored.',
    );
    await expect(postWithBody(alice, 'bob two')).toHaveCount(1);
    await expect(postWithBody(alice, 'bob one')).toHaveCount(1);
    await expectNotStored(alice, [first.commit, second.commit, 'bob two'], []);
  },
);
