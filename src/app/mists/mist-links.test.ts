import { expect, test } from 'vitest';
import { mistLinksIn } from './mist-links.ts';

const A = 'a'.repeat(64);
const B = 'b'.repeat(64);

test('a post names the mists it links, each once, the first two, in order', () => {
  const body = `see http://hub/#/mists/${A}/0123456789abcdef and again #/mists/${A}/0123456789abcdef,
  then #/mists/${B}/fedcba9876543210 and #/mists/${B}/0000000000000000`;
  expect(mistLinksIn(body)).toEqual([
    { author: A, id: '0123456789abcdef' },
    { author: B, id: 'fedcba9876543210' },
  ]);
  expect(mistLinksIn(`#/mists/${A}/0123`)).toEqual([]);
  expect(mistLinksIn('no links here')).toEqual([]);
});
