/**
 * Search finds the direct messages the person can read (message-search.ts over search/messages.ts): by words,
 * prefixes, #tags, from:, since: and until:, newest first, never for has:media, never those of a muted or
 * blocked person or naming a muted word, each with its peer's handle.
 */
import 'fake-indexeddb/auto';
import { expect, test } from 'vitest';
import type { CommitId, ObjectId, PseudonymId } from '../../src/protocol/ids.ts';
import { pseudonymOf, secretKeyFrom } from '../../src/protocol/keys.ts';
import { openCoreDb } from '../store/db.ts';
import type { DmRow } from '../store/inbox-rows.ts';
import { IdbCoreStore } from '../store/idb-core-store.ts';
import { EMPTY_VIEW } from '../private/view.ts';
import { hiddenOf } from '../private/filter.ts';
import { findMessages } from './message-search.ts';

const [alice, bob, carol] = [1, 2, 3].map((n) => pseudonymOf(secretKeyFrom(new Uint8Array(32).fill(n)))) as [
  PseudonymId,
  PseudonymId,
  PseudonymId,
];
const T = Date.UTC(2026, 10, 20);
const DAY = 86_400_000;
const nothingHidden = hiddenOf(EMPTY_VIEW.settings);

let n = 0;
const dm = (peer: PseudonymId, direction: 'in' | 'out', body: string, ts: number): DmRow => ({
  owner: alice,
  id: `${(++n).toString(16).padStart(2, '0')}${'ab'.repeat(31)}` as ObjectId,
  peer,
  direction,
  body,
  ts,
  state: direction === 'in' ? 'received' : 'sent',
});

async function world() {
  const db = await openCoreDb(`message-search-${process.pid}-${++n}`);
  const secretKey = secretKeyFrom(new Uint8Array(32).fill(1));
  await db.put('pseudonyms', {
    id: alice,
    name: 'Alice',
    hubs: ['http://hub.test'],
    createdAt: 1,
    secretKey,
    handle: 'alice@hub.test',
  });
  const follow = { pseudonym: alice, hubs: [], ts: T, commitId: 'c'.repeat(64) as CommitId, opIndex: 0, active: true };
  await db.put('follows', { ...follow, target: bob, handle: 'bob@hub.test' });
  const store = new IdbCoreStore(db);
  await store.addDms([
    dm(bob, 'in', 'lunch on friday? #food', T - 3 * DAY),
    dm(bob, 'out', 'Lunch sounds good', T - 2 * DAY),
    dm(carol, 'in', 'the launch is delayed', T - DAY),
    dm(carol, 'in', 'a spoiler about lunch', T),
  ]);
  const search = (text: string, hidden = nothingHidden) => findMessages({ db, store }, alice, text, T, hidden);
  const bodies = async (text: string, hidden?: ReturnType<typeof hiddenOf>) =>
    (await search(text, hidden)).map((m) => m.body);
  return { search, bodies };
}

test('words, prefixes, #tags, from: and dates find messages as they find posts, newest first', async () => {
  const { search, bodies } = await world();
  expect(await bodies('lunch')).toEqual(['a spoiler about lunch', 'Lunch sounds good', 'lunch on friday? #food']);
  expect(await bodies('la')).toEqual(['the launch is delayed']); // the last word is a prefix
  expect(await bodies('#food')).toEqual(['lunch on friday? #food']);
  expect(await bodies('from:alice lunch')).toEqual(['Lunch sounds good']);
  expect(await bodies('from:bob lunch')).toEqual(['lunch on friday? #food']);
  expect(await bodies('from:nobody lunch')).toEqual([]);
  expect(await bodies('lunch since:2026-11-18')).toEqual(['a spoiler about lunch', 'Lunch sounds good']);
  expect(await bodies('lunch until:2026-11-17')).toEqual(['lunch on friday? #food']);
  expect(await bodies('has:media lunch')).toEqual([]);
  expect(await bodies('dinner')).toEqual([]);

  const [first] = await search('friday');
  expect(first).toMatchObject({ peer: bob, direction: 'in', peerHandle: 'bob@hub.test', highlights: [[9, 15]] });
});

test("a muted person's messages and those naming a muted word are not found", async () => {
  const { bodies } = await world();
  const now = T;
  const muted = hiddenOf({
    ...EMPTY_VIEW.settings,
    mutedUsers: [{ value: carol, at: now }],
    mutedWords: [{ value: 'sounds', at: now }],
  });
  expect(await bodies('lunch', muted)).toEqual(['lunch on friday? #food']);
});
