/** Hash routes: a link post's route keeps its key in the fragment; link and discover routes read back as written. */
import { expect, test } from 'vitest';
import { parseObjectId } from '../../protocol/ids.ts';
import { parseRoute, routeHref, settledSearchHref } from './route.ts';

const COMMIT = parseObjectId('ab'.repeat(32));
const KEY = `#k=${'A'.repeat(42)}E`;

test('a link route carries the hub and the key, and parses back to the same route', () => {
  const route = { name: 'link', commit: COMMIT, hub: 'http://127.0.0.1:8080', key: KEY } as const;
  const href = routeHref(route);
  expect(href.startsWith(`#/link/${COMMIT}?`)).toBe(true);
  expect(parseRoute(href)).toEqual(route);
});

test('a link without its key is still the link route, with no key (the screen then shows nothing of the post)', () => {
  expect(parseRoute(`#/link/${COMMIT}?hub=http%3A%2F%2Fhub.test`)).toEqual({
    name: 'link',
    commit: COMMIT,
    hub: 'http://hub.test',
    key: '',
  });
  expect(parseRoute('#/link/nothex')).toEqual({ name: 'home' });
});

test('a discover route keeps its topic and words, and reads back as it was written', () => {
  for (const route of [
    { name: 'discover', topic: '', q: '' },
    { name: 'discover', topic: 'birds', q: '' },
    { name: 'discover', topic: 'birds', q: 'river & sea' },
  ] as const) {
    expect(parseRoute(routeHref(route))).toEqual(route);
  }
  expect(routeHref({ name: 'discover', topic: '', q: '' })).toBe('#/discover');
});

test('settled search words replace a search route only: a link followed meanwhile is never undone', () => {
  expect(settledSearchHref('#/search', 'birds')).toBe('#/search?q=birds');
  expect(settledSearchHref('#/search?q=bird', 'birds')).toBe('#/search?q=birds');
  expect(settledSearchHref('#/search?q=birds', 'birds')).toBeUndefined();
  expect(settledSearchHref('#/discover', '')).toBeUndefined();
  expect(settledSearchHref(`#/thread/${COMMIT}`, 'birds')).toBeUndefined();
});

test('mists, one mist (a version too) and a secret mist link read back as written; anything else is home', () => {
  const author = 'cd'.repeat(32) as never;
  const id = '0123456789abcdef' as never;
  for (const route of [
    { name: 'mists', scope: 'following' },
    { name: 'mists', scope: 'mine', type: 'code' },
    { name: 'mists', scope: 'explore', type: 'dataset' },
    { name: 'mist', author, id },
    { name: 'mist', author, id, version: 2 },
    { name: 'mist-link', commit: COMMIT, hub: 'http://127.0.0.1:8080', key: KEY },
  ] as const) {
    expect(parseRoute(routeHref(route))).toEqual(route);
  }
  expect(routeHref({ name: 'mist', author, id, version: 0 })).toBe(`#/mists/${author}/${id}?v=1`);
  expect(parseRoute('#/mists?type=virus&scope=everyone')).toEqual({ name: 'mists', scope: 'following' });
  expect(parseRoute(`#/mists/${author}/${id}?v=0`)).toEqual({ name: 'mist', author, id });
  expect(parseRoute(`#/mists/${author}/nothex`)).toEqual({ name: 'home' });
});

test('hives, a hive (hubs repeated, home first; a Top window) and a hive post read back as written', () => {
  const hive = 'ef'.repeat(32) as never;
  const hubs = ['http://127.0.0.1:8080', 'https://hub.example'];
  for (const route of [
    { name: 'hives' },
    { name: 'hive', hive, hubs },
    { name: 'hive', hive, hubs, top: 'week' },
    { name: 'hive-post', hive, hubs, post: COMMIT },
  ] as const) {
    expect(parseRoute(routeHref(route))).toEqual(route);
  }
  expect(routeHref({ name: 'hive', hive, hubs: hubs.slice(0, 1) })).toBe(
    `#/hives/${hive}?hub=http%3A%2F%2F127.0.0.1%3A8080`,
  );
  // Only http(s) origins are kept (a link's hubs are fetched from), each once; an unknown window is New.
  expect(
    parseRoute(`#/hives/${hive}?hub=javascript:alert(1)&hub=https://a.test/x&hub=https://a.test&top=year`),
  ).toEqual({ name: 'hive', hive, hubs: ['https://a.test'] });
  expect(parseRoute('#/hives/nothex')).toEqual({ name: 'home' });
});
