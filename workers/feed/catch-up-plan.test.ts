/** Catch-up's pure decisions (catch-up-plan.ts), case by case. */
import { expect, test } from 'vitest';
import type { FeedLog } from '../../src/protocol/feed-log.ts';
import type { CommitId, ObjectId, PseudonymId } from '../../src/protocol/ids.ts';
import {
  MAX_SEGMENTS,
  expectedCommits,
  followsByHub,
  headSeqMismatch,
  pendingAfter,
  readHubs,
  segmentStep,
  streamsByHub,
} from './catch-up-plan.ts';

const id = (n: number) => n.toString(16).padStart(64, '0') as CommitId;
const bob = 'b'.repeat(64) as PseudonymId;
const carol = 'c'.repeat(64) as PseudonymId;
const prev = 'f'.repeat(64) as ObjectId;
const log = (author: PseudonymId, commits: CommitId[], before?: ObjectId): FeedLog =>
  ({ type: 'log', author, commits, ...(before && { prev: before }) }) as FeedLog;

test.each([
  { comment: 'a first follow expects every seq of the head', head: 50, tips: undefined, expected: 50 },
  { comment: 'a feed we hold up to seq 40 expects the 10 above', head: 50, tips: { seq: 40 }, expected: 10 },
  { comment: 'a head equal to ours expects nothing', head: 40, tips: { seq: 40 }, expected: 0 },
  {
    comment: 'a head behind ours (a hub not caught up) expects nothing, never less',
    head: 3,
    tips: { seq: 40 },
    expected: 0,
  },
])('expectedCommits: $comment', ({ head, tips, expected }) => expect(expectedCommits(head, tips)).toBe(expected));

test.each([
  {
    comment: 'nothing held: ask for every listed commit and read the segment before',
    log: log(bob, [id(1), id(2)], prev),
    held: new Set<CommitId>(),
    index: 0,
    step: { missing: [id(1), id(2)], next: prev },
  },
  {
    comment: 'one listed commit held: ask for the rest, and stop (what is older is held)',
    log: log(bob, [id(1), id(2), id(3)], prev),
    held: new Set([id(1)]),
    index: 0,
    step: { missing: [id(2), id(3)], next: undefined },
  },
  {
    comment: 'the first segment of the log has no prev: the reading ends',
    log: log(bob, [id(1)]),
    held: new Set<CommitId>(),
    index: 3,
    step: { missing: [id(1)], next: undefined },
  },
  {
    comment: "a segment of another author's log: nothing from it, and the reading ends",
    log: log(carol, [id(1)], prev),
    held: new Set<CommitId>(),
    index: 0,
    step: { missing: undefined, next: undefined },
  },
  {
    comment: 'the last segment read: the parent walk does the rest',
    log: log(bob, [id(1)], prev),
    held: new Set<CommitId>(),
    index: MAX_SEGMENTS - 1,
    step: { missing: [id(1)], next: undefined },
  },
  {
    comment: 'past MAX_SEGMENTS, the reading goes on while fewer ids are listed than the head says are new',
    log: log(bob, [id(1)], prev),
    held: new Set<CommitId>(),
    index: MAX_SEGMENTS - 1,
    listed: 98,
    expected: 100,
    step: { missing: [id(1)], next: prev },
  },
  {
    comment: 'past MAX_SEGMENTS, it ends once the ids listed cover what the head says is new',
    log: log(bob, [id(1)], prev),
    held: new Set<CommitId>(),
    index: MAX_SEGMENTS + 5,
    listed: 99,
    expected: 100,
    step: { missing: [id(1)], next: undefined },
  },
])('segmentStep: $comment', ({ log: l, held, index, listed, expected, step }) =>
  expect(segmentStep(l, bob, held, index, listed, expected)).toEqual(step),
);

test.each([
  { comment: 'tips at the head seq agree', seq: 5, tips: [5, 3], waiting: 0, mismatch: undefined },
  { comment: 'a head claiming more than its tips is refused', seq: 9, tips: [5], waiting: 0, mismatch: 5 },
  { comment: 'a head claiming less than its tips is refused', seq: 2, tips: [5], waiting: 0, mismatch: 5 },
  { comment: 'while commits wait for parents, nothing is judged', seq: 9, tips: [5], waiting: 2, mismatch: undefined },
])('headSeqMismatch: $comment', ({ seq, tips, waiting, mismatch }) => {
  const tipSeqs = new Map(tips.map((s, i) => [id(i + 1), s]));
  expect(headSeqMismatch(seq, tipSeqs, waiting)).toBe(mismatch);
});

test('pendingAfter: what still waits is kept; what waited and is stored now is forgotten, nothing else', () => {
  const waiting = [{ id: id(7), bytes: new Uint8Array([7]) }];
  const plan = pendingAfter(waiting, [id(1), id(2), id(3)], new Set([id(2), id(7), id(9)]));
  expect(plan).toEqual({ keep: waiting, forget: [id(2)] });
});

test('followsByHub: active, unblocked follows by their first hub; none without a hub', () => {
  const f = (target: PseudonymId, hubs: string[], active = true) => ({ target, hubs, active });
  const dave = 'd'.repeat(64) as PseudonymId;
  const erin = 'e'.repeat(64) as PseudonymId;
  const byHub = followsByHub(
    [f(bob, ['https://a', 'https://b']), f(carol, ['https://b']), f(dave, ['https://a']), f(erin, [], true)],
    new Set([dave]),
  );
  expect(byHub).toEqual(
    new Map([
      ['https://a', [bob]],
      ['https://b', [carol]],
    ]),
  );
  expect(followsByHub([f(bob, ['https://a'], false)], new Set())).toEqual(new Map());
});

test('streamsByHub: oneself on the home hub first, then each follow on its first hub, once each', () => {
  const me = 'a'.repeat(64) as PseudonymId;
  const dave = 'd'.repeat(64) as PseudonymId;
  const f = (target: PseudonymId, hubs: string[], active = true) => ({ target, hubs, active });
  const follows = [f(bob, ['https://home']), f(carol, ['https://b']), f(dave, ['https://b']), f(me, ['https://home'])];
  expect(streamsByHub(me, 'https://home', follows, new Set([dave]))).toEqual(
    new Map([
      ['https://home', [me, bob]],
      ['https://b', [carol]],
    ]),
  );
  expect(streamsByHub(me, 'https://home', [f(bob, ['https://b'], false)], new Set())).toEqual(
    new Map([['https://home', [me]]]),
  );
});

test('readHubs: the hubs the feed signed first, then the follow hints, each once; a non-list is ignored', () => {
  expect(readHubs(['https://c.example', 'https://a.example'], ['https://a.example', 'https://b.example'])).toEqual([
    'https://c.example',
    'https://a.example',
    'https://b.example',
  ]);
  expect(readHubs(undefined, ['https://a.example'])).toEqual(['https://a.example']);
  expect(readHubs('https://c.example', ['https://a.example'])).toEqual(['https://a.example']);
  expect(readHubs([7, 'https://c.example'], [])).toEqual(['https://c.example']);
});
