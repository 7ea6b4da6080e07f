import { expect, test } from 'vitest';
import { mentions, mentionsIn } from './mentions.ts';

test('finds handles with ports, lowercases them, keeps each once, in order', () => {
  expect(mentionsIn('hi @Bob@127.0.0.1:9000 and @carol@hub.example, again @bob@127.0.0.1:9000.')).toEqual([
    'bob@127.0.0.1:9000',
    'carol@hub.example',
  ]);
});

test('an email address, a bare @name or a URL path is no mention', () => {
  expect(mentionsIn('mail me at bob@hub.example or ping @bob, see https://x.example/@bob@hub.example')).toEqual([]);
});

test('mentions() needs the exact handle, not a prefix', () => {
  expect(mentions('hello @bob@hub.example', 'bob@hub.example')).toBe(true);
  expect(mentions('hello @bobby@hub.example', 'bob@hub.example')).toBe(false);
  expect(mentions('hello @bob@hub.example.org', 'bob@hub.example')).toBe(false);
});

test('at most 8 mentions are read from one body', () => {
  const body = Array.from({ length: 12 }, (_, i) => `@u${i}@h.example`).join(' ');
  expect(mentionsIn(body)).toHaveLength(8);
});
