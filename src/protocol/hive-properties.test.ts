/**
 * The hive state is a function of the SET of entries (hive-state.ts), by
 * property (fast-check): random commits by the hive, the owner, two
 * moderators and three members (charters, settings, joins, decisions,
 * moderators added and removed, posts, comments three deep, votes, removals,
 * deletes, and some forged or refused), delivered to 5 replicas each in its
 * own order with copies: every replica computes the same view, byte for byte.
 * Runs 1,000 cases by default; set MURMUR_PROPERTY_RUNS for more.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { encodeCanonical } from './canonical.ts';
import type { HiveEntry, HiveState } from './hive-state.ts';
import { hiveState } from './hive-state.ts';
import { buildHiveSettings } from './hives.ts';
import type { CommitId, ObjectId, PseudonymId } from './ids.ts';
import { ALICE, BOB, CAROL, EntryMaker, HIVE, MOD, MOD2, NONCE, OWNER, hex, idOf } from './testing/hive-entries.ts';

const RUNS = Number(process.env.MURMUR_PROPERTY_RUNS ?? 1000);
const PEOPLE = [OWNER, MOD, MOD2, ALICE, BOB, CAROL];

// Fixed pools of objects, so random ops collide on the same posts, comments and fields often.
const m = new EntryMaker();
const posts = [m.post(ALICE, 1, 'a'), m.post(BOB, 1, 'b'), m.post(MOD, 1, 'm'), m.post(OWNER, 1, 'o')];
const [p0, p1, p2, p3] = posts.map(idOf) as [ObjectId, ObjectId, ObjectId, ObjectId];
const c0 = m.comment(BOB, 2, p0);
const c1 = m.comment(CAROL, 2, p0, idOf(c0));
const c2 = m.comment(ALICE, 2, p1);
const c3 = m.comment(MOD2, 2, p3);
const comments = [
  c0,
  c1,
  c2,
  c3,
  m.comment(OWNER, 3, p3, idOf(c3)),
  m.comment(ALICE, 3, p0, idOf(c1)), // three deep
  m.comment(MOD2, 3, p1, idOf(c2)),
  m.comment(BOB, 3, p2, idOf(c2)), // under a comment of another post: NoParent
  m.comment(CAROL, 3, hex(0xbad) as ObjectId), // on no known post: NoPost
];
const submissions = [...posts, ...comments];
const targets = submissions.map(idOf);
const settingsPool = [
  { name: 'Rust' },
  { name: 'Crabs' },
  { rules: 'be kind' },
  { membership: 'approval' as const },
  { membership: 'open' as const },
  { listed: true },
  { listed: false, description: 'a hive' },
].map((s) => buildHiveSettings({ hive: HIVE, ts: 1, ...s }));
const charters = [
  buildHiveSettings({ hive: HIVE, ts: 1, owner: OWNER, nonce: NONCE, name: 'Rust', membership: 'open' }),
  buildHiveSettings({ hive: HIVE, ts: 1, owner: OWNER, nonce: NONCE, name: 'Hive', membership: 'approval' }),
];

type OpSpec = Pick<HiveEntry, 'op' | 'object'>;
const pick = <T>(list: readonly T[]) => fc.constantFrom(...list);

const decisionArb = fc
  .tuple(pick(['approve', 'approve', 'ban', 'unban'] as const), pick(PEOPLE))
  .map(([action, member]): OpSpec => ({ op: { type: 'hive_member', hive: HIVE, member, action } }));
const publishSettings = (s: (typeof charters)[number]): OpSpec => ({
  op: { type: 'hive', object: s.id },
  object: s.value,
});
const settingsArb = pick([...settingsPool, ...charters]).map(publishSettings);
const removeArb = fc
  .tuple(pick(targets), fc.boolean())
  .map(
    ([target, why]): OpSpec => ({ op: { type: 'hive_remove', hive: HIVE, target, ...(why && { reason: 'spam' }) } }),
  );
const modArb = fc
  .tuple(pick([MOD, MOD2, ALICE]), pick(['add', 'remove'] as const))
  .map(([member, action]): OpSpec => ({ op: { type: 'hive_mod', hive: HIVE, member, action } }));

/** What a person's own feed says: self joins and leaves (some naming others), submissions, votes, deletes. */
const joinOf = (member: PseudonymId): OpSpec => ({ op: { type: 'hive_member', hive: HIVE, member, action: 'join' } });

const personArb = (author: PseudonymId): fc.Arbitrary<OpSpec> => {
  const own = submissions.filter((s) => s.author === author);
  const publish = (s: HiveEntry): OpSpec => ({ op: s.op, ...(s.object && { object: s.object }) });
  const joinOrLeave = fc
    .tuple(pick(['join', 'join', 'leave'] as const), fc.nat(9))
    .map(
      ([action, n]): OpSpec => ({ op: { type: 'hive_member', hive: HIVE, member: n === 0 ? ALICE : author, action } }),
    );
  const vote = fc
    .tuple(pick(targets), pick([-1, 0, 1] as const))
    .map(([target, value]): OpSpec => ({ op: { type: 'vote', target, value } }));
  return fc.oneof(
    { weight: 3, arbitrary: joinOrLeave },
    { weight: 4, arbitrary: pick(own.length > 0 ? own : submissions).map(publish) },
    { weight: 1, arbitrary: pick(submissions).map(publish) }, // mostly another's: WrongAuthor
    { weight: 2, arbitrary: vote },
    { weight: 1, arbitrary: pick(targets).map((target): OpSpec => ({ op: { type: 'delete', target } })) },
  );
};

/** The owner's or a moderator's decisions (removals rarer: each hides a post or a thread). */
const decideArb = fc.oneof(
  { weight: 3, arbitrary: settingsArb },
  { weight: 3, arbitrary: decisionArb },
  { weight: 2, arbitrary: modArb },
  { weight: 1, arbitrary: removeArb },
);

const commitArb: fc.Arbitrary<{ author: PseudonymId; specs: OpSpec[] }> = fc.oneof(
  {
    weight: 1,
    arbitrary: fc.array(decideArb, { minLength: 1, maxLength: 3 }).map((specs) => ({ author: HIVE, specs })),
  },
  {
    weight: 1,
    arbitrary: pick([MOD, MOD2, OWNER]).chain((author) =>
      fc
        .array(fc.oneof(decideArb, personArb(author)), { minLength: 1, maxLength: 3 })
        .map((specs) => ({ author, specs })),
    ),
  },
  {
    weight: 3,
    arbitrary: pick([ALICE, BOB, CAROL, MOD, MOD2, OWNER]).chain((author) =>
      fc
        .tuple(fc.boolean(), fc.array(personArb(author), { minLength: 1, maxLength: 3 }))
        .map(([joins, specs]) => ({ author, specs: joins ? [joinOf(author), ...specs] : specs })),
    ),
  },
);

const tsArb = fc.integer({ min: 0, max: 8 });
const charterArb = fc.record({ ts: tsArb, charter: pick(charters) });

/**
 * Up to 40 commits (most runs with a charter among them), timestamps colliding on purpose so ties fall to the
 * commit id and the op index.
 */
const entriesArb = fc
  .tuple(
    fc.option(charterArb, { freq: 6 }),
    fc.array(fc.record({ ts: tsArb, commit: commitArb }), { minLength: 1, maxLength: 40, size: 'max' }),
  )
  .map(([first, commits]) => {
    const charter: HiveEntry[] = first
      ? [{ author: HIVE, commit: hex(0xc4a) as CommitId, ts: first.ts, index: 0, ...publishSettings(first.charter) }]
      : [];
    return charter.concat(
      commits.flatMap(({ ts, commit }, i) => {
        const id = hex(((i + 1) * 2654435761) % 2 ** 32) as CommitId;
        return commit.specs.map((s, index): HiveEntry => ({ author: commit.author, commit: id, ts, index, ...s }));
      }),
    );
  });

const picture = (s: HiveState) => new TextDecoder().decode(encodeCanonical(s));

describe('hive state: a function of the set of entries', () => {
  test(`5 replicas, each in its own order with copies, compute one view (${RUNS} cases)`, () => {
    let rich = 0;
    fc.assert(
      fc.property(entriesArb, fc.array(fc.nat(), { minLength: 64, maxLength: 64 }), (entries, noise) => {
        const whole = hiveState(HIVE, entries);
        let n = 0;
        const next = () => noise[n++ % noise.length]! + n;
        for (let r = 0; r < 5; r++) {
          const copies = entries.filter(() => next() % 4 === 0);
          const keyed = [...entries, ...copies].map((e) => [next(), e] as const);
          const delivered = keyed.sort((a, b) => a[0] - b[0]).map(([, e]) => e);
          expect(picture(hiveState(HIVE, delivered))).toEqual(picture(whole));
        }
        expect(picture(hiveState(HIVE, [...entries].reverse()))).toEqual(picture(whole));
        if (!whole.exists) return;
        // Counted once per voter: never more votes on a target than people who voted on it.
        for (const s of [...whole.posts, ...whole.comments]) {
          const voters = new Set(
            entries.filter((e) => e.op.type === 'vote' && e.op.target === s.id).map((e) => e.author),
          );
          expect(s.votes.ups + s.votes.downs).toBeLessThanOrEqual(voters.size);
          expect(s.votes.score).toBe(s.votes.ups - s.votes.downs);
        }
        // Whatever is shown is by someone not banned now, unless the owner or a moderator.
        for (const s of whole.posts) {
          const author = whole.members.find((x) => x.id === s.author);
          expect(author === undefined || !author.banned || author.role !== 'member').toBe(true);
        }
        if (whole.posts.length > 0 && whole.comments.length > 0 && whole.log.length > 2) rich++;
      }),
      { numRuns: RUNS },
    );
    // Without this, a generator that never made a hive with posts and comments would leave the rules untested.
    expect(rich).toBeGreaterThanOrEqual(RUNS * 0.1);
  });

  test('a replica missing one decisive entry sees a different view (the comparison can fail)', () => {
    const maker = new EntryMaker();
    const join = maker.member(ALICE, 2, 'join');
    const post = maker.post(ALICE, 3);
    const ban = maker.member(HIVE, 4, 'ban', ALICE);
    const all = [maker.charter(1), join, post, ban];
    expect(picture(hiveState(HIVE, all.slice(0, 3)))).not.toEqual(picture(hiveState(HIVE, all)));
  });
});
