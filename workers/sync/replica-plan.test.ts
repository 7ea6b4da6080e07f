/** decideReplica(): replication's decision at one other hub, case by case and against its invariants. */
import fc from 'fast-check';
import { expect, test } from 'vitest';
import type { CommitId } from '../../src/protocol/ids.ts';
import { sameMembers } from '../../src/runtime/sets.ts';
import { type ReplicaState, type ReplicaStep, decideReplica } from './replica-plan.ts';

const id = (n: number) => n.toString(16).padStart(64, '0') as CommitId;
const tips = { heads: [id(3)], seq: 3 };

const cases: { comment: string; state: ReplicaState; step: ReplicaStep }[] = [
  {
    comment: 'a hub with no head of ours gets the whole feed: push from nothing',
    state: { tips, theirs: undefined, held: undefined },
    step: { type: 'push', since: [] },
  },
  {
    comment: 'a hub whose head is our tips is synced, before any look-up',
    state: { tips, theirs: { heads: [id(3)], seq: 3 }, held: undefined },
    step: { type: 'synced' },
  },
  {
    comment: 'the same tips in another order are the same head',
    state: { tips: { heads: [id(3), id(4)], seq: 4 }, theirs: { heads: [id(4), id(3)], seq: 4 }, held: true },
    step: { type: 'synced' },
  },
  {
    comment: 'a different head: first learn whether we hold what it names',
    state: { tips, theirs: { heads: [id(2)], seq: 2 }, held: undefined },
    step: { type: 'look-up', heads: [id(2)] },
  },
  {
    comment: 'a head behind ours that we hold: push what lies above it',
    state: { tips, theirs: { heads: [id(2)], seq: 2 }, held: true },
    step: { type: 'push', since: [id(2)] },
  },
  {
    comment: 'a head naming commits we lack (another device pushed there): pull them, never push over them',
    state: { tips, theirs: { heads: [id(9)], seq: 2 }, held: false },
    step: { type: 'pull', heads: [id(9)] },
  },
  {
    comment: 'a head ahead of ours that we lack is pulled too',
    state: { tips, theirs: { heads: [id(9)], seq: 7 }, held: false },
    step: { type: 'pull', heads: [id(9)] },
  },
];

for (const c of cases) test(c.comment, () => expect(decideReplica(c.state)).toEqual(c.step));

const heads = fc.uniqueArray(fc.integer({ min: 1, max: 6 }).map(id), { minLength: 1, maxLength: 3 });
const states: fc.Arbitrary<ReplicaState> = fc.record({
  tips: fc.record({ heads, seq: fc.integer({ min: 1, max: 9 }) }),
  theirs: fc.option(fc.record({ heads, seq: fc.integer({ min: 1, max: 9 }) }), { nil: undefined }),
  held: fc.option(fc.boolean(), { nil: undefined }),
});

test('invariants hold for every state', () => {
  fc.assert(
    fc.property(states, (state) => {
      const frozen = structuredClone(state);
      const step = decideReplica(state);
      expect(decideReplica(state)).toEqual(step); // 4: pure
      expect(state).toEqual(frozen);
      const same = state.theirs !== undefined && sameMembers(state.theirs.heads, state.tips.heads);
      // 1: a push only over a head that is absent or held.
      if (step.type === 'push') expect(state.theirs === undefined || state.held === true).toBe(true);
      // 2: synced exactly when the heads are the same, and then nothing else happens.
      expect(step.type === 'synced').toBe(same);
      // 3: a push sends what lies above their head.
      if (step.type === 'push') expect(step.since).toEqual(state.theirs?.heads ?? []);
      if (step.type === 'pull') expect(state.held).toBe(false);
      if (step.type === 'look-up') expect(state.held).toBeUndefined();
    }),
    { numRuns: 2000 },
  );
});
