/**
 * The lens stack's pure parts: the topics lens brings posts on my topics from listed people I do not follow;
 * the adjacent lens, posts on topics seen alongside mine; the fresh lens, the first posts of the newly listed;
 * each reads nothing but LensInputs (no engagement signal); a page mixes them in by time, at most their shares.
 */
import { expect, test } from 'vitest';
import type { ObjectId, PseudonymId } from '../../src/protocol/ids.ts';
import type { TimelineItem } from '../api/api-types.ts';
import { lensShareOf, lensSharesOf } from '../../src/protocol/lens-settings.ts';
import { FRESH_LIMITS, adjacentLens, adjacentTopics, freshLens, lensInputOf, mixPage, topicsLens } from './lenses.ts';

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
  const topics = (items: TimelineItem[], share: 0 | 10 | 20 | 30) => [{ name: 'topics' as const, items, share }];
  expect(mixPage(following, topics(lensed, 0), 4)).toEqual(following);
  // 30% of 4: one lens item, then the page's first 4 (80's follower comes on the next page, after the cursor).
  expect(mixPage(following, topics(lensed, 30), 4).map((i) => i.ts)).toEqual([100, 95, 90, 80]);
  // The feed ended (a short page): 30% of 10 is 3, the newest three.
  expect(mixPage(following, topics(lensed, 30), 10).map((i) => i.ts)).toEqual([100, 95, 90, 85, 80, 75, 70]);
  // A full page never takes a lens item older than its last: that belongs to a later page.
  expect(mixPage(following, topics([item(60, listed)], 30), 4).map((i) => i.ts)).toEqual([100, 90, 80, 70]);
  expect(lensShareOf({ 'topics.share': 20 }, 'topics')).toBe(20);
  expect(lensShareOf({ 'topics.share': 55 }, 'topics')).toBe(0);
  expect(lensSharesOf({ 'fresh.share': 10, 'adjacent.share': '30' })).toEqual({ topics: 0, adjacent: 0, fresh: 10 });
});

test('several lenses share a page, each to its own share, a post brought once, by the first lens to bring it', () => {
  const following = Array.from({ length: 10 }, (_, n) => item(100 - n * 10, followed)); // 100 .. 10
  const near = [item(95, listed), item(85, listed), item(75, listed)];
  const newcomers = [item(84, stranger), item(65, stranger), item(55, stranger)];
  const page = mixPage(
    following,
    [
      { name: 'topics', items: near, share: 20 },
      { name: 'fresh', items: [near[0]!, ...newcomers], share: 20 },
    ],
    10,
  );
  // 20% of 10 each: topics 95, 85; fresh's 95 is on the page already, so 84 and 65.
  expect(page.map((i) => `${i.ts}${i.author === stranger ? 's' : i.author === listed ? 'l' : ''}`)).toEqual([
    '100',
    '95l',
    '90',
    '85l',
    '84s',
    '80',
    '70',
    '65s',
    '60',
    '50',
  ]);
});

test('adjacent topics: those seen on posts carrying mine, never mine, on most such posts first, then by name', () => {
  const seen = [
    item(1, followed, ['birds', 'herons']),
    item(2, followed, ['birds', 'herons', 'ponds']),
    item(3, followed, ['maps', 'ponds']),
    item(4, followed, ['cats', 'dogs']), // none of mine: nothing is adjacent through it
    item(5, followed, ['maps', 'birds']),
  ].map(lensInputOf);
  expect(adjacentTopics(seen, ['birds', 'maps'], 3)).toEqual([
    { topic: 'herons', alongside: 'birds', posts: 2 },
    { topic: 'ponds', alongside: 'birds', posts: 2 },
  ]);
  expect(adjacentTopics(seen, ['birds', 'maps'], 1).map((a) => a.topic)).toEqual(['herons']);
  expect(adjacentTopics(seen, [], 3)).toEqual([]);
});

test('the adjacent lens: an adjacent topic, its author listed under it, not followed, not me', () => {
  const adjacent = [{ topic: 'herons', alongside: 'birds', posts: 2 }];
  const posts = [
    item(5, listed, ['herons']),
    item(4, followed, ['herons']),
    item(3, stranger, ['herons']), // not listed under it
    item(2, listed, ['ponds']),
    item(1, me, ['herons']),
  ].map(lensInputOf);
  const listedUnder = new Map([['herons', new Set([listed, followed, me])]]);
  const why = adjacentLens(posts, { me, adjacent, listed: listedUnder, followed: new Set([followed]) });
  expect([...why]).toEqual([
    [posts[0]!.id, '#herons: seen with your #birds in 2 posts you read; listed under it; you do not follow them'],
  ]);
});

test('the fresh lens: the first few posts of listed people not followed whose first post is recent', () => {
  const day = 24 * 60 * 60 * 1000;
  const now = 100 * day;
  const at = (ts: number, author: PseudonymId, n: number) => ({ ...lensInputOf(item(n, author)), ts });
  const first = [
    // Listed, new: its first three posts come in, the fourth does not.
    ...[0, 1, 2, 3].map((k) => at(now - 2 * day + k, listed, 10 + k)),
    at(now - FRESH_LIMITS.windowMs - 1, stranger, 20), // listed, but its first post is too old
    at(now - day, followed, 30), // followed already
    at(now - day, me, 40),
  ];
  const context = { me, listed: new Set([listed, stranger, followed, me]), followed: new Set([followed]), now };
  const why = freshLens(first, context);
  expect([...why.keys()]).toEqual(first.slice(0, FRESH_LIMITS.postsPerAuthor).map((p) => p.id));
  expect(why.get(first[0]!.id)).toBe(
    'new here: first posted 2 days ago; listed in your hub’s directory; you do not follow them',
  );
  // Not listed (any more): nothing.
  expect(freshLens(first, { ...context, listed: new Set() }).size).toBe(0);
});
