/**
 * What the hive screens show of a hive's state: New is newest first and Top counts only the chosen window, by
 * score; comments make trees under their post; the viewer's standing in words; the log newest first.
 */
import { expect, test } from 'vitest';
import type { HiveMemberView } from '../../protocol/hive-state.ts';
import type { CommitId, ObjectId, PseudonymId } from '../../protocol/ids.ts';
import {
  type HiveCommentView,
  type HivePostView,
  type ShownHive,
  commentCounts,
  commentTree,
  settingsWords,
  sortPosts,
  standingOf,
} from './hive-view.ts';

const DAY = 86_400_000;
const NOW = 100 * DAY;
const id = (n: number) => n.toString(16).padStart(64, '0') as ObjectId;
const who = (n: number) => `f${n}`.padEnd(64, '0') as PseudonymId;

function post(n: number, ageDays: number, ups: number, downs: number): HivePostView {
  const ts = NOW - ageDays * DAY;
  return {
    id: id(n),
    author: who(1),
    stamp: [ts, id(n) as unknown as CommitId, 0],
    object: { type: 'hive_post', hive: who(0), author: who(1), ts, title: `p${n}`, body: 'b' },
    votes: { ups, downs, score: ups - downs },
  };
}

function comment(n: number, postN: number, parent: number | undefined, ts: number): HiveCommentView {
  return {
    id: id(n),
    author: who(2),
    stamp: [ts, id(n) as unknown as CommitId, 0],
    object: {
      type: 'hive_comment',
      hive: who(0),
      author: who(2),
      ts,
      post: id(postN),
      ...(parent !== undefined && { parent: id(parent) }),
      body: `c${n}`,
    },
    votes: { ups: 0, downs: 0, score: 0 },
  };
}

const titles = (posts: HivePostView[]) => posts.map((p) => p.object.title);

test('New is every post newest first; Top is the window chosen, by score, then votes up, then newest', () => {
  const posts = [post(1, 0.5, 0, 0), post(2, 3, 5, 0), post(3, 20, 9, 1), post(4, 60, 20, 0), post(5, 2, 5, 0)];
  expect(titles(sortPosts(posts, undefined, NOW))).toEqual(['p1', 'p5', 'p2', 'p3', 'p4']);
  expect(titles(sortPosts(posts, 'day', NOW))).toEqual(['p1']);
  expect(titles(sortPosts(posts, 'week', NOW))).toEqual(['p5', 'p2', 'p1']);
  expect(titles(sortPosts(posts, 'month', NOW))).toEqual(['p3', 'p5', 'p2', 'p1']);
  expect(titles(sortPosts(posts, 'all', NOW))).toEqual(['p4', 'p3', 'p5', 'p2', 'p1']);
  // Ties in score: more votes up first (a 6-1 post above a 5-0 one).
  expect(titles(sortPosts([post(6, 1, 5, 0), post(7, 2, 6, 1)], 'week', NOW))).toEqual(['p7', 'p6']);
});

test('comments make a tree under their post, each level oldest first; counts are per post', () => {
  const comments = [comment(13, 1, 11, 30), comment(11, 1, undefined, 10), comment(12, 1, undefined, 5)];
  comments.push(comment(14, 1, 13, 40), comment(21, 2, undefined, 1));
  const tree = commentTree(comments, id(1));
  const shape = (nodes: ReturnType<typeof commentTree>): unknown[] =>
    nodes.map((n) => [n.comment.object.body, shape(n.replies as ReturnType<typeof commentTree>)]);
  expect(shape(tree)).toEqual([
    ['c12', []],
    ['c11', [['c13', [['c14', []]]]]],
  ]);
  expect(commentCounts(comments)).toEqual(
    new Map([
      [id(1), 4],
      [id(2), 1],
    ]),
  );
});

test('the viewer stands as owner, moderator, member, waiting, banned or not a member', () => {
  const member = (n: number, more: Partial<HiveMemberView>): HiveMemberView => ({
    id: who(n),
    role: 'member',
    joined: true,
    approved: false,
    banned: false,
    admitted: true,
    ...more,
  });
  const state = {
    members: [
      member(1, { role: 'owner', joined: false }),
      member(2, { role: 'moderator', joined: false }),
      member(3, {}),
      member(4, { admitted: false }),
      member(5, { banned: true, admitted: false }),
      member(6, { joined: false, admitted: false }),
    ],
  } as unknown as ShownHive;
  const words = [1, 2, 3, 4, 5, 6, 7].map((n) => standingOf(state, who(n)).words);
  expect(words).toEqual([
    'Owner',
    'Moderator',
    'Member',
    'Waiting for approval',
    'Banned',
    'Not a member',
    'Not a member',
  ]);
  expect([1, 2, 3].map((n) => standingOf(state, who(n)).moderates)).toEqual([true, true, false]);
});

test('a settings change in words names each field set, and says a cleared one is cleared', () => {
  expect(settingsWords({ name: 'Herons', rules: '', membership: 'approval', listed: true })).toBe(
    'name “Herons”, rules cleared, membership: by approval, listed',
  );
  expect(settingsWords(undefined)).toBe('');
});
