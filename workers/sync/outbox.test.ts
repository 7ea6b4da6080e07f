/** decide(): the outbox's sync decision, case by case and against its invariants for random states. */
import fc from 'fast-check';
import { expect, test } from 'vitest';
import type { CommitId } from '../../src/protocol/ids.ts';
import { LIMITS } from '../../src/protocol/limits.ts';
import { type OutboxState, type RemoteHead, decide } from './outbox.ts';

const id = (n: number) => n.toString(16).padStart(64, '0') as CommitId;
const base: OutboxState = { online: true, queued: [], tips: undefined, remote: { kind: 'unknown' }, pushed: new Set() };

test('offline: wait, whatever else is known', () => {
  expect(decide({ ...base, online: false, queued: [id(1)], tips: { heads: [id(1)], seq: 1 } })).toEqual([
    { type: 'wait-online' },
  ]);
});

test("first learn the hub's head; after a stale refusal learn it again", () => {
  expect(decide({ ...base, queued: [id(1)], tips: { heads: [id(1)], seq: 1 } })).toEqual([{ type: 'fetch-head' }]);
  expect(decide({ ...base, remote: { kind: 'stale' }, tips: { heads: [id(1)], seq: 1 } })).toEqual([
    { type: 'fetch-head' },
  ]);
});

test('a new feed: push the blobs of the queued commit, then its head', () => {
  const state: OutboxState = { ...base, queued: [id(1)], tips: { heads: [id(1)], seq: 1 }, remote: { kind: 'none' } };
  expect(decide(state)).toEqual([
    { type: 'push-blobs', commits: [id(1)] },
    { type: 'put-head', heads: [id(1)], seq: 1 },
  ]);
  expect(decide({ ...state, pushed: new Set([id(1)]) })).toEqual([{ type: 'put-head', heads: [id(1)], seq: 1 }]);
});

test('a hub head equal to our tips is synced: every queued commit is acknowledged, nothing is sent', () => {
  const state: OutboxState = {
    ...base,
    queued: [id(2), id(3)],
    tips: { heads: [id(3)], seq: 3 },
    remote: { kind: 'head', heads: [id(3)], seq: 3, held: true },
  };
  expect(decide(state)).toEqual([{ type: 'done', ack: [id(2), id(3)] }]);
});

test('a hub head we lack is pulled first (another device of ours)', () => {
  const state: OutboxState = {
    ...base,
    queued: [id(2)],
    tips: { heads: [id(2)], seq: 2 },
    remote: { kind: 'head', heads: [id(9)], seq: 2, held: false },
  };
  expect(decide(state)).toEqual([{ type: 'pull' }]);
});

test('after the pull, a merge when the hub is not behind us; a plain head when it is', () => {
  const both = { heads: [id(2), id(9)], seq: 2 };
  expect(
    decide({ ...base, queued: [id(2)], tips: both, remote: { kind: 'head', heads: [id(9)], seq: 2, held: true } }),
  ).toEqual([{ type: 'merge' }]);
  const ahead = { heads: [id(4)], seq: 4 };
  expect(
    decide({
      ...base,
      queued: [id(4)],
      tips: ahead,
      pushed: new Set([id(4)]),
      remote: { kind: 'head', heads: [id(3)], seq: 3, held: true },
    }),
  ).toEqual([{ type: 'put-head', heads: [id(4)], seq: 4 }]);
});

test('more tips than a head may name: merge', () => {
  const heads = Array.from({ length: LIMITS.headsPerHead + 1 }, (_, i) => id(i + 1));
  expect(decide({ ...base, tips: { heads, seq: 2 }, remote: { kind: 'none' } })).toEqual([{ type: 'merge' }]);
});

test('nothing ever committed: done', () => {
  expect(decide({ ...base, remote: { kind: 'none' } })).toEqual([{ type: 'done', ack: [] }]);
});

const ids = fc.integer({ min: 1, max: 40 }).map(id);
const remoteArb: fc.Arbitrary<RemoteHead> = fc.oneof(
  fc.constant({ kind: 'unknown' as const }),
  fc.constant({ kind: 'stale' as const }),
  fc.constant({ kind: 'none' as const }),
  fc.record({
    kind: fc.constant('head' as const),
    heads: fc.uniqueArray(ids, { minLength: 1, maxLength: 3 }),
    seq: fc.integer({ min: 1, max: 6 }),
    held: fc.boolean(),
  }),
);
const stateArb: fc.Arbitrary<OutboxState> = fc.record({
  online: fc.boolean(),
  queued: fc.uniqueArray(ids, { maxLength: 5 }),
  tips: fc.option(
    fc.record({ heads: fc.uniqueArray(ids, { minLength: 1, maxLength: 20 }), seq: fc.integer({ min: 1, max: 6 }) }),
    { nil: undefined },
  ),
  remote: remoteArb,
  pushed: fc.uniqueArray(ids, { maxLength: 5 }).map((a) => new Set(a)),
});

test('invariants hold for every state', () => {
  fc.assert(
    fc.property(stateArb, (state) => {
      const frozen = structuredClone(state);
      const actions = decide(state);
      expect(state).toEqual(frozen); // 6: inputs untouched
      expect(decide(state)).toEqual(actions); // 6: pure
      expect(actions.length).toBeGreaterThan(0);
      // 1: offline, no requests
      if (!state.online) expect(actions).toEqual([{ type: 'wait-online' }]);
      const { remote, tips } = state;
      for (const action of actions) {
        if (action.type === 'put-head') {
          // 2: the hub's head is known, held and covered (our tips were built on everything we hold)
          expect(remote.kind === 'none' || (remote.kind === 'head' && remote.held)).toBe(true);
          expect([...action.heads].sort()).toEqual([...tips!.heads].sort());
          expect(action.heads.length).toBeLessThanOrEqual(LIMITS.headsPerHead);
          if (remote.kind === 'head') expect(action.seq).toBeGreaterThan(remote.seq);
          // 3: every queued commit's blobs are confirmed first
          const pushing = actions.find((a) => a.type === 'push-blobs');
          const covered = new Set([...state.pushed, ...(pushing?.type === 'push-blobs' ? pushing.commits : [])]);
          expect(state.queued.every((q) => covered.has(q))).toBe(true);
        }
        if (action.type === 'done' && action.ack.length > 0) {
          // 4: acknowledged only when the hub's head is our tips, and then all of them
          expect(
            remote.kind === 'head' &&
              new Set(remote.heads).size === tips!.heads.length &&
              tips!.heads.every((h) => remote.heads.includes(h)),
          ).toBe(true);
          expect(action.ack).toEqual(state.queued);
        }
        if (action.type === 'merge') {
          // 5: only when needed
          const tooMany = tips!.heads.length > LIMITS.headsPerHead;
          const behind = remote.kind === 'head' && remote.held && remote.seq >= tips!.seq;
          expect(tooMany || behind).toBe(true);
        }
        if (action.type === 'pull') expect(remote.kind === 'head' && !remote.held).toBe(true);
      }
    }),
    { numRuns: 2000 },
  );
});
