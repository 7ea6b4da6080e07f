/** The hive state's rules (hive-state.ts), one table per part: each case asserts what a reader would see. */
import { describe, expect, test } from 'vitest';
import { type HiveEntry, type HiveState, hiveState } from './hive-state.ts';
import type { PseudonymId } from './ids.ts';
import {
  ALICE,
  BOB,
  CAROL,
  EntryMaker,
  HIVE,
  MOD,
  MOD2,
  OTHER_HIVE,
  OWNER,
  hex,
  idOf,
} from './testing/hive-entries.ts';

type Shown = Extract<HiveState, { exists: true }>;

function shown(entries: HiveEntry[]): Shown {
  const state = hiveState(HIVE, entries);
  if (!state.exists) throw new Error('expected a hive');
  return state;
}
const member = (state: Shown, id: PseudonymId) => state.members.find((m) => m.id === id);
const refusalsOf = (state: Shown) => state.refusals.map((r) => r.reason);
const postIds = (state: Shown) => state.posts.map((p) => p.id);

const m = new EntryMaker();
const charterOpen = m.charter(1);
const charterApproval = m.charter(1, { membership: 'approval' });
const modAdd = m.mod(HIVE, 2, MOD, 'add');

describe('charter', () => {
  test('no charter, or one outside the hive’s feed or for another hive: no hive', () => {
    expect(hiveState(HIVE, [])).toEqual({ hive: HIVE, exists: false });
    const elsewhere = new EntryMaker(OTHER_HIVE).charter(1);
    expect(hiveState(HIVE, [elsewhere]).exists).toBe(false);
    const byOwner = m.entry(OWNER, 1, charterOpen.op, charterOpen.object);
    expect(hiveState(HIVE, [byOwner, m.post(ALICE, 2)]).exists).toBe(false);
  });

  test('the earliest charter names the owner; a later one changes settings only', () => {
    const later = new EntryMaker().charter(5, { name: 'Rust II' }, BOB);
    const state = shown([later, charterOpen]);
    expect(state.owner).toBe(OWNER);
    expect(state.charter).toEqual([1, charterOpen.commit, 0]);
    expect(state.settings).toEqual({ name: 'Rust II', membership: 'open', listed: false });
    expect(state.log.map((l) => l.action)).toEqual(['charter', 'settings']);
  });
});

describe('settings: owner-preferring last writer wins per field', () => {
  const cases: { title: string; entries: HiveEntry[]; name: string; refusals?: string[] }[] = [
    {
      title: 'owner at ts 1000 beats a moderator at ts 1001 (the reference’s example)',
      entries: [modAdd, m.settings(HIVE, 1000, { name: 'ML research hub' }), m.settings(MOD, 1001, { name: 'AI hub' })],
      name: 'ML research hub',
    },
    {
      title: 'the owner’s later value beats the owner’s earlier one',
      entries: [m.settings(HIVE, 5, { name: 'Five' }), m.settings(HIVE, 3, { name: 'Three' })],
      name: 'Five',
    },
    {
      title: 'a moderator cannot change a field the charter set: the charter is the owner’s word',
      entries: [modAdd, m.settings(MOD, 9, { name: 'Mod name' })],
      name: 'Rust',
    },
    {
      title: 'between owner values of one ts, the greater commit id wins',
      entries: [m.settings(HIVE, 7, { name: 'low' }, hex(0xa1)), m.settings(HIVE, 7, { name: 'high' }, hex(0xa2))],
      name: 'high',
    },
    {
      title: 'a non-moderator’s settings count for nothing',
      entries: [m.settings(BOB, 9, { name: 'Bob’s' })],
      name: 'Rust',
      refusals: ['NotModerator'],
    },
    {
      title: 'a charter in a moderator’s feed counts for nothing',
      entries: [modAdd, m.entry(MOD, 9, charterOpen.op, charterOpen.object)],
      name: 'Rust',
      refusals: ['NotOwner'],
    },
  ];
  for (const c of cases) {
    test(c.title, () => {
      for (const order of [c.entries, [...c.entries].reverse()]) {
        const state = shown([charterOpen, ...order]);
        expect(state.settings.name).toBe(c.name);
        expect(refusalsOf(state)).toEqual(c.refusals ?? []);
      }
    });
  }

  test('moderators set the fields the owner never set; the later moderator value wins', () => {
    const state = shown([
      charterOpen,
      modAdd,
      m.mod(HIVE, 2, MOD2, 'add'),
      m.settings(MOD2, 6, { rules: 'be kind', listed: true }),
      m.settings(MOD, 5, { rules: 'no spam' }),
    ]);
    expect(state.settings).toEqual({ name: 'Rust', rules: 'be kind', membership: 'open', listed: true });
    expect(state.moderators).toEqual([MOD, MOD2].sort());
  });
});

describe('moderators and membership decisions', () => {
  const cases: {
    title: string;
    entries: HiveEntry[];
    who: PseudonymId;
    /** Undefined: not among the members. */
    expect: { banned: boolean; approved: boolean; admitted: boolean } | undefined;
    refusals?: string[];
  }[] = [
    {
      title: 'an open hive admits whoever joins',
      entries: [charterOpen, m.member(ALICE, 3, 'join')],
      who: ALICE,
      expect: { banned: false, approved: false, admitted: true },
    },
    {
      title: 'an approval hive admits a member once approved',
      entries: [charterApproval, m.member(ALICE, 3, 'join')],
      who: ALICE,
      expect: { banned: false, approved: false, admitted: false },
    },
    {
      title: 'approved by a moderator',
      entries: [charterApproval, modAdd, m.member(ALICE, 3, 'join'), m.member(MOD, 4, 'approve', ALICE)],
      who: ALICE,
      expect: { banned: false, approved: true, admitted: true },
    },
    {
      title: 'an unban restores approval',
      entries: [
        charterApproval,
        m.member(ALICE, 3, 'join'),
        m.member(HIVE, 4, 'ban', ALICE),
        m.member(HIVE, 5, 'unban', ALICE),
      ],
      who: ALICE,
      expect: { banned: false, approved: true, admitted: true },
    },
    {
      title: 'the owner’s ban beats a moderator’s later unban, whatever the timestamps',
      entries: [
        charterOpen,
        modAdd,
        m.member(ALICE, 3, 'join'),
        m.member(HIVE, 4, 'ban', ALICE),
        m.member(MOD, 99, 'unban', ALICE),
      ],
      who: ALICE,
      expect: { banned: true, approved: false, admitted: false },
    },
    {
      title: 'a removed moderator’s later ban is ignored; the one made while a moderator counts',
      entries: [
        charterOpen,
        modAdd,
        m.member(BOB, 3, 'join'),
        m.mod(HIVE, 10, MOD, 'remove'),
        m.member(MOD, 11, 'ban', BOB),
      ],
      who: BOB,
      expect: { banned: false, approved: false, admitted: true },
      refusals: ['NotModerator'],
    },
    {
      title: 'a ban made before the removal still stands',
      entries: [
        charterOpen,
        modAdd,
        m.member(BOB, 3, 'join'),
        m.member(MOD, 9, 'ban', BOB),
        m.mod(HIVE, 10, MOD, 'remove'),
      ],
      who: BOB,
      expect: { banned: true, approved: false, admitted: false },
    },
    {
      title: 'a moderator’s decision before being added is ignored',
      entries: [charterOpen, m.member(BOB, 1, 'join'), m.member(MOD, 1, 'ban', BOB), modAdd],
      who: BOB,
      expect: { banned: false, approved: false, admitted: true },
      refusals: ['NotModerator'],
    },
    {
      title: 'a moderator cannot ban the owner',
      entries: [charterOpen, modAdd, m.member(MOD, 3, 'ban', OWNER)],
      who: OWNER,
      expect: { banned: false, approved: false, admitted: true },
      refusals: ['Protected'],
    },
    {
      title: 'a moderator cannot ban another moderator',
      entries: [charterOpen, modAdd, m.mod(HIVE, 2, MOD2, 'add'), m.member(MOD, 3, 'ban', MOD2)],
      who: MOD2,
      expect: { banned: false, approved: false, admitted: true },
      refusals: ['Protected'],
    },
    {
      title: 'a join or leave names its author; a decision names someone else',
      entries: [charterApproval, modAdd, m.member(BOB, 3, 'join', CAROL), m.member(MOD, 3, 'approve', MOD)],
      who: CAROL,
      expect: undefined,
      refusals: ['NotSelf', 'SelfDecision'],
    },
    {
      title: 'a moderator list is the hive feed’s: a hive_mod elsewhere is refused',
      entries: [charterOpen, m.mod(OWNER, 2, BOB, 'add'), m.member(BOB, 3, 'ban', CAROL), m.member(CAROL, 3, 'join')],
      who: CAROL,
      expect: { banned: false, approved: false, admitted: true },
      refusals: ['NotOwner', 'NotModerator'],
    },
  ];
  for (const c of cases) {
    test(c.title, () => {
      const state = shown(c.entries);
      const found = member(state, c.who);
      expect(found && { banned: found.banned, approved: found.approved, admitted: found.admitted }).toEqual(c.expect);
      expect(refusalsOf(state)).toEqual(c.refusals ?? []);
    });
  }
});

describe('submissions', () => {
  const alicePost = m.post(ALICE, 5, 'Alice speaks');
  const aliceJoin = m.member(ALICE, 3, 'join');
  const cases: { title: string; entries: HiveEntry[]; shown: boolean; refusals?: string[] }[] = [
    { title: 'a member’s post shows', entries: [aliceJoin, alicePost], shown: true },
    { title: 'a non-member’s post does not', entries: [alicePost], shown: false },
    {
      title: 'an approval hive’s pending member’s post does not',
      entries: [charterApproval, aliceJoin, alicePost],
      shown: false,
    },
    {
      title: 'a banned member’s posts vanish, those before the ban too',
      entries: [aliceJoin, alicePost, m.member(HIVE, 9, 'ban', ALICE)],
      shown: false,
    },
    { title: 'a leave keeps earlier posts', entries: [aliceJoin, alicePost, m.member(ALICE, 9, 'leave')], shown: true },
    {
      title: 'a post after leaving does not show',
      entries: [aliceJoin, m.member(ALICE, 4, 'leave'), alicePost],
      shown: false,
    },
    {
      title: 'removed by a moderator',
      entries: [modAdd, aliceJoin, alicePost, m.remove(MOD, 6, idOf(alicePost), 'spam')],
      shown: false,
    },
    {
      title: 'a removal by a non-moderator counts for nothing',
      entries: [aliceJoin, m.member(BOB, 3, 'join'), alicePost, m.remove(BOB, 6, idOf(alicePost))],
      shown: true,
      refusals: ['NotModerator'],
    },
    {
      title: 'deleted by its author',
      entries: [aliceJoin, alicePost, m.delete(ALICE, 6, idOf(alicePost))],
      shown: false,
    },
    {
      title: 'a delete by someone else counts for nothing',
      entries: [aliceJoin, alicePost, m.delete(BOB, 6, idOf(alicePost))],
      shown: true,
    },
    {
      title: 'another hive’s removal does not reach it',
      entries: [aliceJoin, alicePost, new EntryMaker(OTHER_HIVE).remove(OTHER_HIVE, 6, idOf(alicePost))],
      shown: true,
    },
  ];
  for (const c of cases) {
    test(c.title, () => {
      const entries = c.entries[0]!.op.type === 'hive' ? c.entries : [charterOpen, ...c.entries];
      const state = shown(entries);
      expect(postIds(state)).toEqual(c.shown ? [idOf(alicePost)] : []);
      expect(refusalsOf(state)).toEqual(c.refusals ?? []);
    });
  }

  test('a post in another’s name is refused (WrongAuthor); the owner and moderators post without joining', () => {
    const forged = m.post(BOB, 5, 'forged', ALICE);
    const ownerPost = m.post(OWNER, 6, 'from the owner');
    const modPost = m.post(MOD, 7, 'from a moderator');
    const state = shown([charterOpen, modAdd, m.member(BOB, 3, 'join'), forged, ownerPost, modPost]);
    expect(postIds(state)).toEqual([idOf(ownerPost), idOf(modPost)]);
    expect(refusalsOf(state)).toEqual(['WrongAuthor']);
    expect(state.posts[0]).toMatchObject({ author: OWNER, stamp: [6, ownerPost.commit, 0] });
  });
});

describe('comments', () => {
  const joins = [ALICE, BOB, CAROL].map((p) => m.member(p, 2, 'join'));
  const post = m.post(ALICE, 5);
  const top = m.comment(BOB, 6, idOf(post));
  const reply = m.comment(CAROL, 7, idOf(post), idOf(top));
  const base = [charterOpen, modAdd, ...joins, post, top, reply];
  const ids = (state: Shown) => state.comments.map((c) => c.id);

  test('a comment two levels deep shows under its parent, on its post', () => {
    const state = shown(base);
    expect(ids(state)).toEqual([idOf(top), idOf(reply)]);
    expect(state.comments[1]!.object).toMatchObject({ post: idOf(post), parent: idOf(top), author: CAROL });
  });

  test('a comment under a removed post is hidden, and so is its reply', () => {
    const state = shown([...base, m.remove(MOD, 9, idOf(post), 'off topic')]);
    expect([postIds(state), ids(state)]).toEqual([[], []]);
  });

  test('a reply under a removed comment is hidden; the post stays', () => {
    const state = shown([...base, m.remove(MOD, 9, idOf(top))]);
    expect([postIds(state), ids(state)]).toEqual([[idOf(post)], []]);
  });

  test('a comment on an unknown post, or under a comment of another post, is refused', () => {
    const other = m.post(ALICE, 8);
    const stray = m.comment(BOB, 9, hex(0xdead) as never);
    const crossed = m.comment(CAROL, 10, idOf(other), idOf(top));
    const state = shown([...base, other, stray, crossed]);
    expect(ids(state)).toEqual([idOf(top), idOf(reply)]);
    expect(refusalsOf(state)).toEqual(['NoPost', 'NoParent']);
  });
});

describe('votes', () => {
  const joins = [ALICE, BOB, CAROL].map((p) => m.member(p, 2, 'join'));
  const post = m.post(ALICE, 5);
  const id = idOf(post);
  const votes = [m.vote(BOB, 6, id, 1), m.vote(BOB, 7, id, -1), m.vote(BOB, 8, id, 1), m.vote(CAROL, 6, id, -1)];

  test('once per voter, the latest by stamp, in any order and with copies', () => {
    const orders = [votes, [...votes].reverse(), [votes[2]!, votes[0]!, votes[3]!, votes[1]!, votes[2]!, votes[0]!]];
    for (const order of orders) {
      const state = shown([charterOpen, ...joins, post, ...order]);
      expect(state.posts[0]!.votes).toEqual({ ups: 1, downs: 1, score: 0 });
    }
  });

  test('a withdrawn vote (0), a non-member’s and a banned member’s do not count', () => {
    const state = shown([
      charterOpen,
      ...joins,
      post,
      ...votes,
      m.vote(CAROL, 9, id, 0),
      m.vote(OTHER_HIVE, 6, id, 1),
      m.vote(ALICE, 6, id, 1),
      m.member(HIVE, 10, 'ban', BOB),
    ]);
    expect(state.posts[0]!.votes).toEqual({ ups: 1, downs: 0, score: 1 });
  });
});

describe('moderation log', () => {
  test('every counting decision by stamp: who, what, target, when and why; refused ones are not there', () => {
    const post = m.post(ALICE, 5);
    const state = shown([
      m.remove(MOD, 8, idOf(post), 'spam, twice'),
      m.member(ALICE, 3, 'join'),
      post,
      m.settings(MOD, 7, { rules: 'no spam' }),
      m.member(MOD, 9, 'ban', ALICE),
      m.member(BOB, 9, 'ban', ALICE),
      modAdd,
      charterOpen,
    ]);
    expect(state.log.map(({ stamp, ...rest }) => ({ ts: stamp[0], ...rest }))).toEqual([
      { ts: 1, by: HIVE, role: 'owner', action: 'charter', settings: { name: 'Rust', membership: 'open' } },
      { ts: 2, by: HIVE, role: 'owner', action: 'mod_add', target: MOD },
      { ts: 7, by: MOD, role: 'moderator', action: 'settings', settings: { rules: 'no spam' } },
      { ts: 8, by: MOD, role: 'moderator', action: 'remove', target: idOf(post), reason: 'spam, twice' },
      { ts: 9, by: MOD, role: 'moderator', action: 'ban', target: ALICE },
    ]);
    expect(refusalsOf(state)).toEqual(['NotModerator']);
  });
});
