/** The query language (query.ts) and highlights (store/search-terms.ts), as tables of cases. */
import { expect, test } from 'vitest';
import { highlightsOf, termsOf } from '../store/search-terms.ts';
import { type SearchQuery, isEmptyQuery, parseQuery } from './query.ts';

const NOW = Date.UTC(2026, 11, 3, 10, 0, 0);
const DAY = 86_400_000;
const none: SearchQuery = { words: [], tags: [], from: [], hasMedia: false };

const cases: [string, string, Partial<SearchQuery>][] = [
  ['the last word is a prefix (still being typed)', 'hello wor', { words: [w('hello'), p('wor')] }],
  ['a space after the last word makes it whole', 'hello wor ', { words: [w('hello'), w('wor')] }],
  ['a star makes any word a prefix', 'hel* world ', { words: [p('hel'), w('world')] }],
  ['case and diacritics fold', 'Café NAÏVE ', { words: [w('cafe'), w('naive')] }],
  ['punctuation splits words', "don't, stop!", { words: [w('don'), w('t'), w('stop', true)] }],
  ['a repeated word is asked once, exact over prefix', 'cat cat', { words: [w('cat')] }],
  ['#tag, folded, without its mark', '#Murmur #murmur', { tags: ['murmur'] }],
  [
    'from: a handle or its name, any case, @ optional',
    'from:@Bob@hub.test from:carol',
    { from: ['bob@hub.test', 'carol'] },
  ],
  ['has:media', 'has:media', { hasMedia: true }],
  ['since: a UTC day starts at its midnight', 'since:2026-12-01', { since: Date.UTC(2026, 11, 1) }],
  ['until: a UTC day ends at its last millisecond', 'until:2026-12-01', { until: Date.UTC(2026, 11, 2) - 1 }],
  ['since: a span back from now', 'since:7d', { since: NOW - 7 * DAY }],
  ['until: hours and weeks', 'until:3h since:2w', { until: NOW - 3 * 3_600_000, since: NOW - 14 * DAY }],
  ['two since: keep the later', 'since:2026-01-01 since:2026-06-01', { since: Date.UTC(2026, 5, 1) }],
  ['a bad date is searched as words', 'since:2026-02-30', { words: [w('since'), w('2026'), w('02'), p('30')] }],
  ['an unknown operator is searched as words', 'has:cats', { words: [w('has'), p('cats')] }],
  [
    'everything at once',
    'from:bob #news rain has:media since:1d',
    {
      words: [w('rain')],
      tags: ['news'],
      from: ['bob'],
      hasMedia: true,
      since: NOW - DAY,
    },
  ],
];

function w(text: string, prefix = false) {
  return { text, prefix };
}
function p(text: string) {
  return { text, prefix: true };
}

for (const [title, text, want] of cases) {
  test(`parse: ${title}`, () => {
    expect(parseQuery(text, NOW)).toEqual({ ...none, ...want });
  });
}

test('an empty or blank query asks for nothing; a date alone asks for something', () => {
  expect(isEmptyQuery(parseQuery('   ', NOW))).toBe(true);
  expect(isEmptyQuery(parseQuery('#', NOW))).toBe(true);
  expect(isEmptyQuery(parseQuery('since:1d', NOW))).toBe(false);
});

test('a post is indexed by its distinct folded words, tags and #words, author and media mark', () => {
  const terms = termsOf({ body: 'Hello hello #Rain, café', tags: ['News'], authorKey: 'AK', media: true });
  expect(terms).toEqual(['hello', 'rain', 'cafe', '#news', '#rain', '\u0001aAK', '\u0001m']);
  expect(termsOf({ body: '', authorKey: 'AK', media: false })).toEqual(['\u0001aAK']);
});

const highlightCases: [string, string, string, string[]][] = [
  ['a whole word, any case', 'Rain and rain', 'rain ', ['Rain', 'rain']],
  ['a prefix marks only the typed start', 'Hello help', 'hel', ['Hel', 'hel']],
  ['a prefix across a diacritic', 'Café', 'caf', ['Caf']],
  ['a #tag marks the tag with its #', 'go #Rain now rain', '#rain', ['#Rain']],
  ['a word inside a #tag marks the word', 'go #rain', 'rain ', ['rain']],
  ['no match, no marks', 'sunny', 'rain ', []],
];
for (const [title, body, query, marked] of highlightCases) {
  test(`highlight: ${title}`, () => {
    const q = parseQuery(query, NOW);
    const ranges = highlightsOf(body, q.words, q.tags);
    expect(ranges.map(([a, b]) => body.slice(a, b))).toEqual(marked);
  });
}
