/**
 * What people read when they leave out --json: relative times in the largest whole unit, columns aligned, an
 * agent's byline, and bold or dim only when the output is a terminal (a pipe or a file gets plain text).
 */
import { expect, test } from 'vitest';
import type { ObjectId, PseudonymId } from '../../protocol/ids.ts';
import type { TimelinePost } from '../read/timeline.ts';
import { type NotificationLine, notificationsWords } from './message-words.ts';
import { ago, postWords, stylesFor } from './post-words.ts';

const id = (c: string) => c.repeat(64);
const NOW = Date.UTC(2026, 11, 3, 12);
const post: TimelinePost = {
  id: id('a') as ObjectId,
  author: id('b') as PseudonymId,
  handle: 'ada@hub.example',
  body: 'first line\nsecond line',
  ts: NOW - 3 * 3_600_000,
  replyTo: null,
  quoteOf: null,
  tags: ['cli'],
  media: [],
  edited: true,
  repost: null,
  agent: null,
  audience: null,
};
const stream = (isTTY: boolean) => ({ isTTY }) as unknown as NodeJS.WritableStream;

test('ago: seconds, minutes, hours, days; never negative', () => {
  expect([59_000, 61_000, 3 * 3_600_000, 49 * 3_600_000, -5].map(ago)).toEqual([
    '59s ago',
    '1m ago',
    '3h ago',
    '2d ago',
    '0s ago',
  ]);
});

test('a post in words: who, when, its notes, the body indented, the id; an agent on behalf of its author', () => {
  expect(postWords(post, NOW)).toBe(
    `ada@hub.example  3h ago  (edited; #cli)\n  first line\n  second line\n  ${post.id}`,
  );
  const byAgent = { ...post, agent: { id: id('c') as PseudonymId, model: 'm-1', name: 'scribe' } };
  expect(postWords(byAgent, NOW).split('\n')[0]).toBe(
    'scribe (m-1) on behalf of ada@hub.example  3h ago  (edited; #cli)',
  );
});

test('bold and dim at a terminal only', () => {
  expect(postWords(post, NOW, stylesFor(stream(true))).split('\n')[0]).toBe(
    '\x1b[1mada@hub.example\x1b[22m  \x1b[2m3h ago\x1b[22m  (edited; #cli)',
  );
  expect(postWords(post, NOW, stylesFor(stream(false)))).toBe(postWords(post, NOW));
});

test("a search's matches are set off in reverse video at a terminal only, across the body's lines", () => {
  const marks = [
    [0, 5],
    [11, 17],
  ] as const;
  expect(
    postWords(post, NOW, stylesFor(stream(true)), marks)
      .split('\n')
      .slice(1, 3),
  ).toEqual(['  \x1b[7mfirst\x1b[27m line', '  \x1b[7msecond\x1b[27m line']);
  expect(postWords(post, NOW, stylesFor(stream(false)), marks)).toBe(postWords(post, NOW));
});

test('notifications line up in columns, unread marked, unknown people by the start of their key', () => {
  const line = (n: Partial<NotificationLine>): NotificationLine => ({
    id: 'x',
    kind: 'react',
    from: id('d') as PseudonymId,
    handle: null,
    name: null,
    ts: NOW - 60_000,
    read: false,
    subject: null,
    object: id('e') as ObjectId,
    body: null,
    emoji: '🎉',
    ...n,
  });
  const words = notificationsWords(
    [line({ handle: 'grace@hub.example' }), line({ kind: 'reply', read: true, emoji: null, body: 'well said' })],
    NOW,
  );
  expect(words.split('\n')).toEqual([
    '•  grace@hub.example  1m ago  reacted 🎉',
    `   ${id('d').slice(0, 12)}…      1m ago  replied "well said"`,
  ]);
});

test('a post body prints inert: escapes and direction controls shown as U+FFFD, lines and tabs kept', () => {
  const hostile = { ...post, body: 'ok\u001b]0;title\u0007\tand \u202eturned\u009b2J' };
  const words = postWords(hostile, NOW, stylesFor(stream(true)));
  expect(words).toContain('ok\uFFFD]0;title\uFFFD\tand \uFFFDturned\uFFFD2J');
  // Our own styles keep their escapes; none of the author's survives.
  const ours = ['\u001b[1m', '\u001b[2m', '\u001b[22m'];
  expect(ours.reduce((w, style) => w.replaceAll(style, ''), words)).not.toContain('\u001b');
});
