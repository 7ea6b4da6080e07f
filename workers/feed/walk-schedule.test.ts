/**
 * WalkSchedule: the DAG walk's scheduling, case by case and against its
 * invariants for random DAGs, held sets, hints (good, partial, naming
 * commits off the walk, or none), commits no source has, and answers in any
 * order, with a driver that does what dag-walk.ts does with each step.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import type { CommitId, ObjectId } from '../../src/protocol/ids.ts';
import { type Role, type RoundCommit, WalkSchedule } from './walk-schedule.ts';

const commitId = (n: number) => `c${String(n).padStart(4, '0')}`.padEnd(64, '0') as CommitId;
const blobId = (n: number) => `b${String(n).padStart(4, '0')}`.padEnd(64, '0') as ObjectId;

describe('cases', () => {
  test('held tips are not asked for; the others go in one batch', () => {
    const schedule = new WalkSchedule([commitId(1), commitId(2)], new Map([[commitId(1), 5]]), 8);
    expect(schedule.nextBatch(true)).toEqual([commitId(2)]);
    expect(schedule.nextBatch(true)).toBeUndefined();
  });

  test('while hints arrive, a batch under a quarter of the size waits; once they end it goes', () => {
    const schedule = new WalkSchedule([commitId(1)], new Map(), 8);
    expect(schedule.nextBatch(false)).toBeUndefined();
    schedule.hinted([commitId(2)]);
    expect(schedule.nextBatch(false)).toEqual([commitId(1), commitId(2)]);
    schedule.hinted([commitId(3)]);
    expect(schedule.nextBatch(false)).toBeUndefined();
    expect(schedule.nextBatch(true)).toEqual([commitId(3)]);
  });

  test('a commit no source has is absent; a blob no source has is missing', () => {
    const schedule = new WalkSchedule([commitId(1)], new Map(), 8);
    const ids = schedule.nextBatch(true)!;
    expect(schedule.answered(ids, new Set())).toEqual({ commits: [], blobs: [], missing: [] });
    expect([...schedule.absent]).toEqual([commitId(1)]);

    const other = new WalkSchedule([commitId(2)], new Map(), 8);
    other.answered(other.nextBatch(true)!, new Set([commitId(2)]));
    const named = other.decoded([{ parents: [], blobs: [[blobId(1), 'blob']] }], true);
    expect(named.lookup).toEqual([blobId(1)]);
    other.blobWanted(blobId(1), named.named.get(blobId(1))!);
    const blobs = other.nextBatch(true)!;
    expect(other.answered(blobs, new Set()).missing).toEqual([blobId(1)]);
  });

  test("blobs go before commits; a feed's own posts are not looked up in the store", () => {
    const schedule = new WalkSchedule([commitId(2)], new Map(), 8);
    schedule.answered(schedule.nextBatch(true)!, new Set([commitId(2)]));
    const blobs = [
      [blobId(1), 'own-post'],
      [blobId(2), 'any-post'],
    ] as const;
    const needs = schedule.decoded([{ parents: [commitId(1)], blobs }], true);
    expect(needs.parents).toEqual([commitId(1)]);
    expect(needs.lookup).toEqual([blobId(2)]);
    schedule.parentsLookedUp(needs.parents, new Map());
    for (const [id, roles] of needs.named) schedule.blobWanted(id, roles);
    expect(schedule.nextBatch(true)).toEqual([blobId(1), blobId(2), commitId(1)]);
  });

  test('while hints arrive, parents wait for the idle step; after that the walk is done', () => {
    const schedule = new WalkSchedule([commitId(2)], new Map(), 8);
    schedule.hinted([commitId(3)]);
    schedule.answered(schedule.nextBatch(false)!, new Set([commitId(2), commitId(3)]));
    const round = [
      { parents: [commitId(1)], blobs: [] },
      { parents: [commitId(2)], blobs: [] },
    ];
    expect(schedule.decoded(round, false).parents).toEqual([]);
    expect(schedule.idle(false)).toEqual({ type: 'wait-hints' });
    expect(schedule.idle(true)).toEqual({ type: 'look-up', parents: [commitId(1)] });
    schedule.parentsLookedUp([commitId(1)], new Map([[commitId(1), 1]]));
    expect(schedule.nextBatch(true)).toBeUndefined();
    expect(schedule.idle(true)).toEqual({ type: 'done' });
    expect(schedule.heldSeqs.get(commitId(1))).toBe(1);
  });
});

interface World {
  /** parents[i]: the parents of commit i, all lower numbers. */
  readonly parents: readonly (readonly number[])[];
  /** blobs[i]: the blobs commit i's ops name, with their roles. */
  readonly blobs: readonly (readonly [number, Role])[][];
  readonly held: ReadonlySet<number>;
  readonly heldBlobs: ReadonlySet<number>;
  readonly absent: ReadonlySet<number>;
  readonly tips: readonly number[];
  /** The log's segments, in order; undefined when the walk has no hints. */
  readonly segments: readonly (readonly number[])[] | undefined;
  readonly batchSize: number;
}

const ROLES: readonly Role[] = ['own-post', 'any-post', 'commit', 'blob'];

/** Commit i's parents: one to three of the commits before it. */
const parentsArb = (i: number) => fc.uniqueArray(fc.nat(i - 1), { minLength: 1, maxLength: 3 });
/** A blob an op names (ten ids, so commits share some), in any role. */
const namedBlobArb = fc.tuple(fc.nat(9), fc.constantFrom(...ROLES));
const segmentLengthsArb = fc.array(fc.integer({ min: 1, max: 8 }), { minLength: 1, maxLength: 40 });

const worldArb: fc.Arbitrary<World> = fc.integer({ min: 1, max: 40 }).chain((n) =>
  fc
    .record({
      parents: fc.tuple(...Array.from({ length: n }, (_, i) => (i === 0 ? fc.constant([]) : parentsArb(i)))),
      blobs: fc.tuple(...Array.from({ length: n }, () => fc.array(namedBlobArb, { maxLength: 2 }))),
      held: fc.uniqueArray(fc.nat(n - 1)).map((a) => new Set(a)),
      heldBlobs: fc.uniqueArray(fc.nat(9)).map((a) => new Set(a)),
      absent: fc.uniqueArray(fc.nat(n - 1), { maxLength: 3 }).map((a) => new Set(a)),
      tips: fc.uniqueArray(fc.nat(n - 1), { minLength: 1, maxLength: 3 }),
      // Hints name commits that were not held when the log was checked: any subset, in any order, in any segments.
      hints: fc.option(fc.tuple(fc.shuffledSubarray(Array.from({ length: n }, (_, i) => i)), segmentLengthsArb)),
      batchSize: fc.integer({ min: 1, max: 12 }),
    })
    .map(({ hints, ...world }) => ({
      ...world,
      absent: new Set([...world.absent].filter((i) => !world.held.has(i))),
      segments:
        hints === null
          ? undefined
          : cut(
              hints[0].filter((i) => !world.held.has(i)),
              hints[1],
            ),
    })),
);

/** `ids` cut into segments of the given lengths (the last ones repeating), an empty segment allowed at the end. */
function cut(ids: readonly number[], lengths: readonly number[]): number[][] {
  const out: number[][] = [];
  for (let at = 0, i = 0; at < ids.length; i++) {
    const length = lengths[i % lengths.length]!;
    out.push(ids.slice(at, at + length));
    at += length;
  }
  return out;
}

/** The commits the walk must fetch: from the tips and hints back along parents, stopping at held and absent ones. */
function expectedFetches(world: World): Set<number> {
  const found = new Set<number>();
  const stack = [...world.tips, ...(world.segments ?? []).flat()];
  while (stack.length > 0) {
    const i = stack.pop()!;
    if (found.has(i) || world.held.has(i)) continue;
    found.add(i);
    if (!world.absent.has(i)) stack.push(...world.parents[i]!);
  }
  return found;
}

const STEP_LIMIT = 10_000;

/** Drives a schedule as dag-walk.ts does, taking each choice (which answer next, or a hint first) from `choices`. */
function drive(world: World, choices: Iterator<number>) {
  const asked = new Map<number, number>();
  const blobsAsked: number[] = [];
  const batches: { ids: readonly ObjectId[]; hintsDone: boolean }[] = [];
  const resolved = new Set<string>();
  const named = new Set<string>();
  const commitOf = new Map(world.parents.map((_, i) => [commitId(i), i]));
  const blobOf = new Map(Array.from({ length: 10 }, (_, i) => [blobId(i), i]));
  const segments = [...(world.segments ?? [])];
  let hintsDone = world.segments === undefined;

  /** The store's answer: the seq of each held commit among `ids` (its number serves as its seq). */
  const heldSeqs = (ids: readonly CommitId[]) => {
    const held = ids.filter((id) => world.held.has(commitOf.get(id)!));
    return new Map(held.map((id) => [id, commitOf.get(id)!]));
  };
  const tips = world.tips.map(commitId);
  const schedule = new WalkSchedule(tips, heldSeqs(tips), world.batchSize);
  const inflight: ObjectId[][] = [];
  const inFlightNow = new Set<ObjectId>();
  const launch = () => {
    while (inflight.length < 2) {
      const ids = schedule.nextBatch(hintsDone);
      if (!ids) return;
      batches.push({ ids, hintsDone });
      for (const id of ids) {
        expect(inFlightNow.has(id), `${id} asked for while in flight`).toBe(false);
        inFlightNow.add(id);
        const c = commitOf.get(id);
        if (c !== undefined) asked.set(c, (asked.get(c) ?? 0) + 1);
        else blobsAsked.push(blobOf.get(id)!);
      }
      inflight.push(ids);
    }
  };
  const nextHintEvent = () => {
    const segment = segments.shift();
    if (segment) schedule.hinted(segment.map(commitId));
    else hintsDone = true;
  };
  const answer = (ids: ObjectId[]) => {
    for (const id of ids) inFlightNow.delete(id);
    const got = new Set(ids.filter((id) => !world.absent.has(commitOf.get(id) ?? -1)));
    const result = schedule.answered(ids, got);
    expect(result.missing).toEqual([]);
    for (const [id, roles] of result.blobs) for (const role of roles) resolved.add(`${blobOf.get(id)} ${role}`);
    const round: RoundCommit[] = result.commits.map((id) => {
      const c = commitOf.get(id)!;
      for (const [b, role] of world.blobs[c]!) named.add(`${b} ${role}`);
      const blobs = world.blobs[c]!.map(([b, role]) => [blobId(b), role] as const);
      return { parents: world.parents[c]!.map(commitId), blobs };
    });
    const needs = schedule.decoded(round, hintsDone);
    schedule.parentsLookedUp(needs.parents, heldSeqs(needs.parents));
    const lookup = new Set(needs.lookup);
    for (const [id, roles] of needs.named) {
      if (lookup.has(id) && world.heldBlobs.has(blobOf.get(id)!)) {
        schedule.blobHeld(id, roles);
        for (const role of roles) resolved.add(`${blobOf.get(id)} ${role}`);
      } else schedule.blobWanted(id, roles);
    }
  };

  launch();
  for (let step = 0; ; step++) {
    expect(step, 'the walk ends').toBeLessThan(STEP_LIMIT);
    if (inflight.length === 0) {
      const idle = schedule.idle(hintsDone);
      if (idle.type === 'done') break;
      if (idle.type === 'wait-hints') nextHintEvent();
      else schedule.parentsLookedUp(idle.parents, heldSeqs(idle.parents));
    } else if (!hintsDone && choices.next().value % 3 === 0) nextHintEvent();
    else answer(inflight.splice(choices.next().value % inflight.length, 1)[0]!);
    launch();
  }
  return { asked, blobsAsked, batches, resolved, named, schedule };
}

describe('invariants, for random walks', () => {
  test('each missing commit the tips and hints lead to is asked once (an absent one at least once), none held', () => {
    fc.assert(
      fc.property(worldArb, fc.infiniteStream(fc.nat()), (world, choices) => {
        const { asked } = drive(world, choices);
        const expected = expectedFetches(world);
        expect(new Set(asked.keys())).toEqual(expected);
        for (const [c, times] of asked) {
          expect(world.held.has(c), `held commit ${c} asked for`).toBe(false);
          if (!world.absent.has(c)) expect(times, `commit ${c} asked for ${times} times`).toBe(1);
        }
      }),
      { numRuns: 500 },
    );
  });

  test('requests hold at most batchSize distinct ids, and at least a quarter of it while hints arrive', () => {
    fc.assert(
      fc.property(worldArb, fc.infiniteStream(fc.nat()), (world, choices) => {
        for (const { ids, hintsDone } of drive(world, choices).batches) {
          expect(ids.length).toBeGreaterThan(0);
          expect(ids.length).toBeLessThanOrEqual(world.batchSize);
          expect(new Set(ids).size).toBe(ids.length);
          if (!hintsDone) expect(ids.length).toBeGreaterThanOrEqual(world.batchSize / 4);
        }
      }),
      { numRuns: 300 },
    );
  });

  test('each blob a fetched commit names is checked in each role it is named in; at the end nothing is wanted', () => {
    fc.assert(
      fc.property(worldArb, fc.infiniteStream(fc.nat()), (world, choices) => {
        const { resolved, named, schedule } = drive(world, choices);
        expect([...named].filter((pair) => !resolved.has(pair))).toEqual([]);
        expect(schedule.wantedCount).toBe(0);
        expect(schedule.fetchedCount).toBe([...expectedFetches(world)].filter((c) => !world.absent.has(c)).length);
        const absentOnTheWalk = [...world.absent].filter((c) => expectedFetches(world).has(c));
        expect([...schedule.absent].sort()).toEqual(absentOnTheWalk.map(commitId).sort());
      }),
      { numRuns: 300 },
    );
  });
});
