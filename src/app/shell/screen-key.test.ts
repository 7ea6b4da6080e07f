import { expect, test } from 'vitest';
import { screenKey } from './screen-key.ts';

const home = JSON.stringify({ name: 'home' });
const settings = JSON.stringify({ name: 'settings' });

test('a new screen on the same route is a new key: leaving onboarding or the lock, another pseudonym', () => {
  const at = (over: Partial<Parameters<typeof screenKey>[0]>) =>
    screenKey({ onboarding: false, locked: false, route: home, active: 'a', ...over });
  const keys = [
    at({ onboarding: true }),
    at({ locked: true }),
    at({}),
    at({ active: 'b' }),
    at({ route: settings }),
    at({ active: undefined }),
  ];
  expect(new Set(keys).size).toBe(keys.length);
  // The same screen again is the same key (no scroll to the top while reading it).
  expect(at({})).toBe(at({}));
  expect(at({ onboarding: true, active: 'b' })).toBe(at({ onboarding: true }));
});
