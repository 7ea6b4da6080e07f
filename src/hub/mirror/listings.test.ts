/**
 * Listings mirrored between hubs: a listing put on one reaches the hub that
 * mirrors it, and a later unlisting replaces it there too, so it is gone
 * from every directory that showed it. A peer's sweep is checked as a
 * client's put is: forged, future-dated and stale listings change nothing,
 * and a peer whose pages never move on is left.
 */
import { afterEach, expect, test } from 'vitest';
import { fromUtf8 } from '../../protocol/bytes.ts';
import { type SignedListing, buildListing } from '../../protocol/listing.ts';
import { nobleVerify } from '../../protocol/keys.ts';
import type { DirectoryAnswer } from '../../protocol/routes.ts';
import { type TestHub, alice, aliceKey, bob, bobKey, startTestHub, waitFor } from '../testing/hub-fixture.ts';
import { MemoryDirectory } from '../store/memory/directory.ts';
import { MAX_SWEEP_PAGES, sweepListings } from './listings.ts';

const hubs: TestHub[] = [];
afterEach(async () => {
  await Promise.all(hubs.splice(0).map((h) => h.stop()));
});

/** Polls often, so each test waits on a condition, not on the default minute. */
const QUICK = { retryMinMs: 20, retryMaxMs: 200, pollMs: 50 };
const T = Date.now();
const listed = (seq: number, topics = ['birds']) =>
  buildListing(aliceKey, { seq, ts: T, handle: 'alice@hub.test', name: 'Alice', topics });
const json = (signed: SignedListing) => JSON.parse(fromUtf8(signed.bytes));
const put = (hub: TestHub, signed: SignedListing) =>
  fetch(`${hub.url}/v1/listings/${signed.listing.author}`, { method: 'PUT', body: signed.bytes as BodyInit });
const directory = async (hub: TestHub, query = '') =>
  JSON.stringify(await (await fetch(`${hub.url}/v1/directory${query}`)).json());

test('a listing reaches the mirroring hub, and an unlisting put later takes it out there too', async () => {
  const source = await startTestHub();
  hubs.push(source);
  expect((await put(source, listed(1))).status).toBe(201);
  const mirror = await startTestHub({ peers: [source.url], mirrorTiming: QUICK });
  hubs.push(mirror);
  await waitFor('the listing on the mirror', async () => (await directory(mirror, '?topic=birds')).includes(alice));

  expect((await put(source, buildListing(aliceKey, { seq: 2, ts: T, unlisted: true }))).status).toBe(201);
  await waitFor('the unlisting on the mirror', async () => !(await directory(mirror)).includes(alice));
  const kept = (await (await fetch(`${mirror.url}/v1/listings`)).json()) as DirectoryAnswer;
  expect(kept.listings).toMatchObject([{ author: alice, seq: 2, unlisted: true }]);
});

test('a sweep keeps what is newer and refuses a forged or future-dated listing, changing nothing', async () => {
  const held = new MemoryDirectory();
  await held.putListing(listed(5));
  const forged = { ...json(buildListing(bobKey, { seq: 9, ts: T, handle: 'bob@hub.test' })), name: 'Mallory' };
  const ahead = buildListing(bobKey, { seq: 9, ts: T + 3_600_000, handle: 'bob@hub.test' });
  const deps = { directory: held, verify: nobleVerify, now: () => T, authors: undefined };
  const answer = (listings: unknown[]) => async () => ({ listings }) as DirectoryAnswer;

  const refused = await sweepListings(answer([json(listed(4, ['maps'])), forged, json(ahead)]), deps);
  expect([refused.stored, refused.refused.map((r) => [r.author, r.error.name])]).toEqual([
    0,
    [
      [bob, 'BadSignature'],
      [bob, 'FutureTimestamp'],
    ],
  ]);
  expect([(await held.findListing(alice))?.listing.seq, await held.findListing(bob)]).toEqual([5, undefined]);

  // The control: the same sweep with a newer listing of each keeps them.
  const newer = buildListing(bobKey, { seq: 9, ts: T, handle: 'bob@hub.test' });
  expect((await sweepListings(answer([json(listed(6, ['maps'])), json(newer)]), deps)).stored).toBe(2);
  expect((await held.listListings({ topic: 'maps', limit: 10 })).map((l) => l.listing.author)).toEqual([alice]);
});

test('a peer whose pages never move on is read once; one paging on for ever is left after the cap', async () => {
  const deps = { directory: new MemoryDirectory(), verify: nobleVerify, now: () => T, authors: undefined };
  let asked = 0;
  await sweepListings(async () => {
    asked++;
    return { listings: [], next: alice };
  }, deps);
  expect(asked).toBe(2); // the first page, then the same cursor again: left
  asked = 0;
  await sweepListings(async (cursor) => {
    asked++;
    return { listings: [], next: (BigInt(`0x${cursor ?? '0'}`) + 1n).toString(16).padStart(64, '0') };
  }, deps);
  expect(asked).toBe(MAX_SWEEP_PAGES);
});
