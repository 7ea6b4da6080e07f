import { expect, test } from 'vitest';
import type { HiveSubmissionView } from '../../src/protocol/hive-state.ts';
import type { HiveCommentObject, HivePostObject } from '../../src/protocol/hives.ts';
import type { ObjectId, PseudonymId } from '../../src/protocol/ids.ts';
import { type CommentNode, commentThread, orderHivePosts } from './hive-order.ts';

const DAY = 86_400_000;
const now = 100 * DAY;
const hive = 'a'.repeat(64) as PseudonymId;
const author = 'b'.repeat(64) as PseudonymId;

function post(id: string, ts: number, score: number): HiveSubmissionView<HivePostObject> {
  const object: HivePostObject = { type: 'hive_post', hive, author, ts, title: id, body: 'x' };
  const votes = { ups: Math.max(score, 0), downs: Math.max(-score, 0), score };
  return { id: id as ObjectId, author, stamp: [ts, id as never, 0], object, votes };
}

function comment(id: string, ts: number, parent?: string): HiveSubmissionView<HiveCommentObject> {
  const object: HiveCommentObject = {
    type: 'hive_comment',
    hive,
    author,
    ts,
    post: 'p' as ObjectId,
    body: id,
    ...(parent && { parent: parent as ObjectId }),
  };
  return { id: id as ObjectId, author, stamp: [ts, id as never, 0], object, votes: { ups: 0, downs: 0, score: 0 } };
}

const posts = [post('old-hit', now - 20 * DAY, 9), post('fresh', now - 1000, 0), post('week', now - 3 * DAY, 2)];

test('New is newest first whatever the votes; Top is the score within the window asked, newer first on a tie', () => {
  expect(orderHivePosts(posts, { by: 'new' }, now).map((p) => p.id)).toEqual(['fresh', 'week', 'old-hit']);
  expect(orderHivePosts(posts, { by: 'top', window: 'day' }, now).map((p) => p.id)).toEqual(['fresh']);
  expect(orderHivePosts(posts, { by: 'top', window: 'week' }, now).map((p) => p.id)).toEqual(['week', 'fresh']);
  expect(orderHivePosts(posts, { by: 'top', window: 'all' }, now).map((p) => p.id)).toEqual([
    'old-hit',
    'week',
    'fresh',
  ]);
  const tied = [post('a', now - 2000, 1), post('b', now - 1000, 1)];
  expect(orderHivePosts(tied, { by: 'top', window: 'all' }, now).map((p) => p.id)).toEqual(['b', 'a']);
});

test("a post's comments as a thread, oldest first at each level, two levels deep", () => {
  const thread = commentThread(
    [comment('reply', 30, 'first'), comment('second', 20), comment('first', 10), comment('deeper', 40, 'reply')],
    'p' as ObjectId,
  );
  const shape = (nodes: readonly CommentNode[]): unknown[] => nodes.map((n) => [n.comment.id, shape(n.replies)]);
  expect(shape(thread)).toEqual([
    ['first', [['reply', [['deeper', []]]]]],
    ['second', []],
  ]);
  expect(commentThread([comment('first', 10)], 'other' as ObjectId)).toEqual([]);
});
