/** The mist pages' paths (page-routes.ts): made and read back, and every malformed one read as none. */
import { expect, test } from 'vitest';
import { pseudonymOf, secretKeyFrom } from './keys.ts';
import type { MistId } from './mists.ts';
import { PAGE_ROUTES, appMistUrl, mistPagePath, parseMistPagePath } from './page-routes.ts';

const author = pseudonymOf(secretKeyFrom(new Uint8Array(32).fill(5)));
const mist = 'fedcba9876543210' as MistId;

test('a page path reads back as the page it was made from, and matches its route pattern', () => {
  for (const mode of ['embed', 'raw'] as const) {
    const path = mistPagePath({ author, mist, mode });
    expect(parseMistPagePath(path)).toEqual({ author, mist, mode });
    const route = mode === 'embed' ? PAGE_ROUTES.embedMist : PAGE_ROUTES.rawMist;
    expect(new RegExp(`^${route.path.replace(/:[a-z]+/g, '[^/]+')}$`).test(path)).toBe(true);
  }
});

test('a path with a malformed id, another ending or more segments names no mist page', () => {
  const cases = [
    `/m/${author.toUpperCase()}/${mist}/embed`,
    `/m/${author.slice(2)}/${mist}/embed`,
    `/m/${author}/${mist.toUpperCase()}/embed`,
    `/m/${author}/${mist}0/raw`,
    `/m/${author}/${mist}/edit`,
    `/m/${author}/${mist}/embed/`,
    `/x/m/${author}/${mist}/embed`,
    `/m/${author}/${mist}`,
  ];
  for (const path of cases) expect([path, parseMistPagePath(path)]).toEqual([path, undefined]);
});

test("the app's link to a mist is its hash route on the hub's origin", () => {
  expect(appMistUrl('http://127.0.0.1:8080/m/x/y/embed', author, mist)).toBe(
    `http://127.0.0.1:8080/#/mists/${author}/${mist}`,
  );
});
