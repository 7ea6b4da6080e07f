/**
 * The directory against a real hub: a pseudonym lists itself, the directory
 * finds it by topic and by words and pages by id; an unlisting takes it out;
 * bad listings and queries are refused by name and change nothing.
 */
import { afterEach, beforeEach, expect, test } from 'vitest';
import { LIMITS } from '../../protocol/limits.ts';
import { type ListingJson, buildListing } from '../../protocol/listing.ts';
import type { SecretKey } from '../../protocol/keys.ts';
import { pseudonymOf, secretKeyFrom } from '../../protocol/keys.ts';
import type { DirectoryAnswer } from '../../protocol/routes.ts';
import { buildSignedUnchecked } from '../../protocol/signed.ts';
import { type TestHub, alice, aliceKey, bob, bobKey, errorName, put, startTestHub } from '../testing/hub-fixture.ts';

let t: TestHub;
beforeEach(async () => {
  t = await startTestHub();
});
afterEach(() => t.stop());

const listingOf = (key: SecretKey, seq: number, topics: string[], bio = '') =>
  buildListing(key, {
    seq,
    ts: Date.now(),
    handle: `${pseudonymOf(key).slice(0, 6)}@${t.host}`,
    bio,
    topics,
    searchable: true,
  });
const list = (author: string, body: Uint8Array | string) => put(`${t.url}/v1/listings/${author}`, body);
const directory = async (query = ''): Promise<DirectoryAnswer> => {
  const res = await fetch(`${t.url}/v1/directory${query}`);
  expect(res.status).toBe(200);
  return (await res.json()) as DirectoryAnswer;
};
const authors = (answer: DirectoryAnswer) => answer.listings.map((l: ListingJson) => l.author);

test('listed pseudonyms are found by topic and (searchable ones) by words; an unlisting takes one out', async () => {
  expect((await list(alice, listingOf(aliceKey, 1, ['music'], 'Plays the Cello').bytes)).status).toBe(201);
  expect((await list(bob, listingOf(bobKey, 1, ['rust']).bytes)).status).toBe(201);
  expect(authors(await directory('?topic=music'))).toEqual([alice]);
  expect(authors(await directory('?q=cello'))).toEqual([alice]);
  expect(authors(await directory())).toEqual([alice, bob].sort());
  // Bob's own words find him only while his listing is searchable.
  const bobWords = (searchable: boolean, seq: number) =>
    buildListing(bobKey, { seq, ts: Date.now(), handle: `bob@${t.host}`, ...(searchable && { searchable: true }) });
  expect((await list(bob, bobWords(false, 2).bytes)).status).toBe(201);
  expect(authors(await directory('?q=bob'))).toEqual([]);
  expect((await list(bob, bobWords(true, 3).bytes)).status).toBe(201);
  expect(authors(await directory('?q=bob'))).toEqual([bob]);
  const unlisting = buildListing(aliceKey, { seq: 2, ts: Date.now(), unlisted: true });
  expect((await list(alice, unlisting.bytes)).status).toBe(201);
  expect(authors(await directory('?topic=music'))).toEqual([]);
  expect(authors(await directory())).toEqual([bob]);
});

test('pages by id: next resumes after the last, and the last page has none', async () => {
  const keys = Array.from({ length: 5 }, (_, i) => secretKeyFrom(new Uint8Array(32).fill(60 + i)));
  for (const key of keys) await list(pseudonymOf(key), listingOf(key, 1, ['music']).bytes);
  const first = await directory('?limit=3');
  expect(first.listings).toHaveLength(3);
  const second = await directory(`?limit=3&cursor=${first.next}`);
  expect(second.next).toBeUndefined();
  expect([...authors(first), ...authors(second)]).toEqual(keys.map(pseudonymOf).sort());
});

test('refuses bad listings and queries by name, keeping what it holds', async () => {
  const held = listingOf(aliceKey, 3, ['music']);
  await list(alice, held.bytes);
  const cases: [string, string, Uint8Array | string][] = [
    ['400 MalformedId', 'nobody', held.bytes],
    ['400 DecodeError', alice, 'not a listing'],
    ['403 WrongAuthor', bob, held.bytes],
    ['403 BadSignature', alice, buildSignedUnchecked({ ...held.signed.fields, seq: 4 }, bobKey)],
    ['409 StaleListing', alice, listingOf(aliceKey, 2, ['rust']).bytes],
    [
      '400 FutureTimestamp',
      alice,
      buildListing(aliceKey, { seq: 9, ts: Date.now() + LIMITS.futureSkewMs + 60_000, handle: `a@${t.host}` }).bytes,
    ],
  ];
  const got: string[] = [];
  for (const [, author, body] of cases) got.push(await errorName(await list(author, body)));
  expect(got).toEqual(cases.map(([name]) => name));
  expect(authors(await directory('?topic=music'))).toEqual([alice]);
  for (const query of ['?topic=Music', `?q=${'x'.repeat(101)}`, '?cursor=nobody'])
    expect(await errorName(await fetch(`${t.url}/v1/directory${query}`))).toBe('400 BadRequest');
});
