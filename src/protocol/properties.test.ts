/**
 * Property tests (fast-check). Runs 1,000 cases each by default; set
 * MURMUR_PROPERTY_RUNS for more (e.g. 100000 for a long soak).
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { fromHex, utf8 } from './bytes.ts';
import { type Canonical, decodeCanonical, encodeCanonical } from './canonical.ts';
import {
  type Commit,
  type SignedCommit,
  buildCommit,
  decodeCommit,
  linksOfHeldCommit,
  objectIdsOf,
  verifyCommit,
} from './commits.ts';
import { ProtocolError } from './errors.ts';
import { describeFeedState, feedState, joinFeedStates } from './feed-state.ts';
import type { CommitId, ObjectId, PseudonymId } from './ids.ts';
import { nobleVerify, webCryptoVerify } from './keys.ts';
import type { Op } from './ops.ts';
import signedVectors from './vectors/signed.json' with { type: 'json' };

const RUNS = Number(process.env.MURMUR_PROPERTY_RUNS ?? 1000);
const hex = (n: number, width = 64) => n.toString(16).padStart(width, '0');

// A small pool of targets, so that random ops collide on the same keys often.
const targets = [1, 2, 3, 4].map((n) => hex(n)) as ObjectId[];
const people = [5, 6, 7].map((n) => hex(n)) as PseudonymId[];

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.constantFrom(...targets).map((object) => ({ type: 'post', object }) as Op),
  fc
    .tuple(fc.constantFrom(...targets), fc.constantFrom(...targets))
    .map(([object, commit]) => ({ type: 'repost', object, commit }) as Op),
  fc
    .tuple(fc.constantFrom(...targets), fc.constantFrom(...targets))
    .map(([target, object]) => ({ type: 'edit', target, object }) as Op),
  fc.constantFrom(...targets).map((target) => ({ type: 'delete', target }) as Op),
  fc
    .tuple(fc.constantFrom('react', 'unreact'), fc.constantFrom(...targets), fc.constantFrom('👍', '🎉'))
    .map(([type, target, emoji]) => ({ type, target, emoji }) as Op),
  fc
    .tuple(fc.boolean(), fc.constantFrom(...people))
    .map(
      ([on, target]) =>
        (on
          ? { type: 'follow', target, handle: `p${target.slice(-1)}@hub.example` }
          : { type: 'unfollow', target }) as Op,
    ),
  fc
    .tuple(fc.constantFrom(...targets), fc.constantFrom(-1, 0, 1))
    .map(([target, value]) => ({ type: 'vote', target, value }) as Op),
  fc
    .record({ name: fc.constantFrom('Ann', 'Bo'), bio: fc.constantFrom('a', 'b') }, { requiredKeys: [] })
    .filter((f) => Object.keys(f).length > 0)
    .map((f) => ({ type: 'profile', ...f }) as Op),
  fc
    .tuple(fc.constantFrom(...targets), fc.boolean())
    .map(([object, link]) => (link ? { type: 'mist', object, audience: 'link' } : { type: 'mist', object }) as Op),
  fc.constantFrom('0123456789abcdef', 'fedcba9876543210').map((mist) => ({ type: 'unmist', mist }) as Op),
);

/** A random DAG of up to 24 commits; timestamps collide on purpose so ties fall to the commit id. */
const dagArb = fc
  .array(
    fc.record({
      ts: fc.integer({ min: 0, max: 6 }),
      ops: fc.array(opArb, { minLength: 1, maxLength: 4 }),
      parentPicks: fc.array(fc.nat(), { maxLength: 2 }),
    }),
    { minLength: 1, maxLength: 24 },
  )
  .map((specs) => {
    const commits: { id: CommitId; commit: Commit }[] = [];
    specs.forEach((spec, i) => {
      const parents = [...new Set(spec.parentPicks.filter(() => i > 0).map((p) => commits[p % i]!.id))].sort();
      const commit: Commit = { type: 'commit', author: people[0]!, parents, seq: 1, ts: spec.ts, ops: spec.ops };
      commits.push({ id: hex(1000 + i * 7919) as CommitId, commit });
    });
    return commits;
  });

// Compared as text: toEqual on large Uint8Arrays walks them element by element and dominated the run.
const picture = (s: ReturnType<typeof feedState>) => new TextDecoder().decode(encodeCanonical(describeFeedState(s)));

describe('merge: state is a function of the set of commits', () => {
  test(`any spread over 5 replicas, any order, with duplicates, joins to one state (${RUNS} cases)`, () => {
    fc.assert(
      fc.property(dagArb, fc.array(fc.nat(), { minLength: 80, maxLength: 80 }), (commits, noise) => {
        const whole = picture(feedState(commits));
        let n = 0;
        const next = () => noise[n++ % noise.length]!;
        // Every commit reaches at least one of 5 replicas, in a shuffled order, some twice.
        const replicas: (typeof commits)[] = [[], [], [], [], []];
        for (const c of commits) {
          replicas[next() % 5]!.push(c);
          if (next() % 3 === 0) replicas[next() % 5]!.push(c);
        }
        const states = replicas.map((r) => feedState([...r].sort(() => (next() % 3) - 1)));
        // Join in two different shapes: left fold and pairwise tree.
        const left = states.reduce((a, b) => joinFeedStates(a, b));
        const tree = joinFeedStates(
          joinFeedStates(states[3]!, states[0]!),
          joinFeedStates(states[4]!, joinFeedStates(states[2]!, states[1]!)),
        );
        // And a replica that gets everything in reverse, twice over.
        const reversed = feedState([...commits].reverse().concat(commits));
        expect(picture(left)).toEqual(whole);
        expect(picture(tree)).toEqual(whole);
        expect(picture(reversed)).toEqual(whole);
        expect(picture(joinFeedStates(left, left))).toEqual(whole);
      }),
      { numRuns: RUNS },
    );
  });
});

const canonicalArb: fc.Arbitrary<Canonical> = fc.letrec<{ value: Canonical }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.string({ unit: 'grapheme' }),
    fc.string({ unit: 'binary' }).filter((s) => s.isWellFormed()),
    fc.maxSafeInteger(),
    fc.boolean(),
    fc.array(tie('value'), { maxLength: 5 }),
    fc.dictionary(fc.string({ unit: 'grapheme-composite' }), tie('value'), { maxKeys: 5 }),
  ),
})).value;

describe('canonical encoding', () => {
  test(`decode(encode(x)) equals x and encode(decode(b)) equals b (${RUNS} cases)`, () => {
    fc.assert(
      fc.property(canonicalArb, (value) => {
        const bytes = encodeCanonical(value);
        const back = decodeCanonical(bytes);
        expect(back).toEqual(value);
        expect(encodeCanonical(back)).toEqual(bytes);
      }),
      { numRuns: RUNS },
    );
  });
});

describe('signatures', () => {
  const commitBytes = utf8(signedVectors.signed[3]!.text); // the merge commit
  const verifiers = [webCryptoVerify(globalThis.crypto.subtle), nobleVerify];

  // Half the changes are any byte, half a hex digit turned into another: most of those still decode (an id or
  // the signature changed), so the verifiers see them; a change of any byte is mostly refused while decoding.
  const HEX = '0123456789abcdef';
  const hexDigitsAt = [...commitBytes.keys()].filter((i) => HEX.includes(String.fromCharCode(commitBytes[i]!)));
  const changeArb = fc.oneof(
    fc
      .tuple(fc.nat({ max: commitBytes.length - 1 }), fc.integer({ min: 1, max: 255 }))
      .map(([at, delta]) => [at, (commitBytes[at]! + delta) % 256] as const),
    fc
      .tuple(fc.constantFrom(...hexDigitsAt), fc.integer({ min: 1, max: 15 }))
      .map(
        ([at, delta]) =>
          [at, HEX.charCodeAt((HEX.indexOf(String.fromCharCode(commitBytes[at]!)) + delta) % 16)] as const,
      ),
  );

  test(`any single-byte change to a signed commit fails (${RUNS} cases, 30% or more verified)`, async () => {
    let verified = 0;
    await fc.assert(
      fc.asyncProperty(changeArb, async ([at, byte]) => {
        const changed = commitBytes.slice();
        changed[at] = byte;
        let decoded: SignedCommit;
        try {
          decoded = decodeCommit(changed);
        } catch (error) {
          if (error instanceof ProtocolError) return; // refused by name while decoding: fine
          throw error; // a crash is not a refusal
        }
        verified++;
        for (const verify of verifiers) expect(await verifyCommit(decoded, verify)).toBe(false);
      }),
      { numRuns: RUNS },
    );
    // Without this, a decoder that refused every change would leave the verifiers untested and still pass.
    expect(verified).toBeGreaterThanOrEqual(RUNS * 0.3);
  });

  test('a freshly built commit verifies under both verifiers', async () => {
    const built = buildCommit(fromHex(signedVectors.seed), {
      parents: [],
      seq: 1,
      ts: 1,
      ops: [{ type: 'delete', target: targets[0]! }],
    });
    for (const verify of verifiers) expect(await verifyCommit(built, verify)).toBe(true);
  });
});

describe('a held commit read back as plain JSON', () => {
  // Ops that name more than one object, or one only sometimes: what opArb leaves out.
  const moreOps: Op[] = [
    { type: 'post', object: targets[0]!, audience: 'followers', keys: targets[1]! },
    { type: 'post', object: targets[2]!, audience: 'link' },
    { type: 'profile', name: 'Ann', avatar: targets[3]! },
  ];
  test(`gives the parents and named objects decodeCommit does (${Math.min(RUNS, 300)} cases)`, () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(opArb, fc.constantFrom(...moreOps)), { minLength: 1, maxLength: 6 }),
        fc.uniqueArray(fc.constantFrom(...targets), { maxLength: 3 }),
        (ops, parents) => {
          const seq = parents.length === 0 ? 1 : 2;
          const built = buildCommit(fromHex(signedVectors.seed), { parents, seq, ts: 1, ops });
          const links = linksOfHeldCommit(built.bytes);
          expect(links.parents).toEqual(built.commit.parents);
          expect(links.named).toEqual(objectIdsOf(built.commit));
        },
      ),
      { numRuns: Math.min(RUNS, 300) },
    );
  });
});
