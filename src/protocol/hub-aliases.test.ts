import { expect, test } from 'vitest';
import { aliasHost, aliasOrigin, isAliasOf, isAliasPattern } from './hub-aliases.ts';

test('an alias pattern is *. then a lowercase host, an optional port; nothing else', () => {
  for (const ok of ['*.hub.example', '*.localhost:8787', '*.a-b.example:443']) expect(isAliasPattern(ok)).toBe(true);
  for (const bad of ['hub.example', '*.', '*.Hub.example', '*.*.hub.example', '*.hub.example:', 'http://*.x', '*.-a.b'])
    expect(isAliasPattern(bad), bad).toBe(false);
});

test('a label names one host under the pattern, and a host is an alias only with one label before the suffix', () => {
  expect(aliasHost('*.localhost:8787', 'a1b2')).toBe('a1b2.localhost:8787');
  expect(aliasHost('*.localhost:8787', 'A1B2')).toBeUndefined();
  expect(aliasHost('*.localhost:8787', 'a.b')).toBeUndefined();
  expect(aliasOrigin('https://hub.example', '*.hub.example', 'x9')).toBe('https://x9.hub.example');
  expect(isAliasOf('*.hub.example', 'x9.hub.example')).toBe(true);
  expect(isAliasOf('*.hub.example', 'hub.example')).toBe(false);
  expect(isAliasOf('*.hub.example', 'a.b.hub.example')).toBe(false);
  expect(isAliasOf('*.hub.example', 'x9.evilhub.example')).toBe(false);
  expect(isAliasOf('*.hub.example', 'x9.hub.example:8443')).toBe(false);
  expect(isAliasOf('*.localhost:8787', 'x9.localhost:8787')).toBe(true);
});
