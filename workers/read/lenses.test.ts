/**
 * The lens stack's pure parts: the topics lens brings posts on my topics from listed people I do not follow,
 * and reads nothing but a LensInput (no engagement signal); a page mixes them in by time, at most their share.
 */
import { expect, test } from 'vitest';
import type { ObjectId, PseudonymId } from '../../src/protocol/ids.ts';
import type { TimelineItem } from '../api/api-types.ts';
import { topicsShareOf } from '../../src/protocol/lens-settings.ts';
import { lensInputOf, mixPage, topicsLens } from './lenses.ts';

const [me, listed, followed, stranger] = ['a', 'b', 'c', 'd'].map((c) => c.repeat(64) as PseudonymId) as [
  PseudonymId,
  PseudonymId,
  PseudonymId,
  PseudonymId,
];
const item = (n: number, author: PseudonymId, tags: string[] = []): TimelineItem =>
  ({
    id: n.toString(16).padStart(64, '0') as ObjectId,
    author,
    ts: n,
    tags,
    body: `post ${n}`,
  }) as unknown as TimelineItem;

test('the topics lens: my topic, its author listed under it, not followed, not me; it reads only a LensInput', () => {
  const engaged = { ...item(5, listed, ['birds']), reactions: [{ emoji: '👍', count: 99, mine: false }], replies: 40 };
  expect(Object.keys(lensInputOf(engaged)).sort()).toEqual(['author', 'id', 'tags', 'ts']);
  const posts = [engaged, item(4, followed, ['birds']), item(3, stranger, ['birds']), item(2, listed, ['cats'])]
    .concat([item(1, me, ['birds'])])
    .map(lensInputOf);
  const context = {
    me,
    topics: ['birds'],
    listed: new Map([['birds', new Set([listed, followed, me])]]),
    followed: new Set([followed]),
  };
  expect([...topicsLens(posts, context).keys()]).toEqual([engaged.id]);
});

test('a page mixes lens items in by time, at most their share, never past the page’s last item', () => {
  const following = [item(100, followed), item(90, followed), item(80, followed), item(70, followed)];
  const lensed = [item(95, listed), item(85, listed), item(75, listed), item(60, listed)];
  expect(mixPage(following, lensed, 0, 4)).toEqual(following);
  // 30% of 4: one lens item, then the page's first 4 (80's follower comes on the next page, after the cursor).
  expect(mixPage(following, lensed, 30, 4).map((i) => i.ts)).toEqual([100, 95, 90, 80]);
  // The feed ended (a short page): 30% of 10 is 3, the newest three.
  expect(mixPage(following, lensed, 30, 10).map((i) => i.ts)).toEqual([100, 95, 90, 85, 80, 75, 70]);
  // A full page never takes a lens item older than its last: that belongs to a later page.
  expect(mixPage(following, [item(60, listed)], 30, 4).map((i) => i.ts)).toEqual([100, 90, 80, 70]);
  expect(topicsShareOf({ 'topics.share': 20 })).toBe(20);
  expect(topicsShareOf({ 'topics.share': 55 })).toBe(0);
});
