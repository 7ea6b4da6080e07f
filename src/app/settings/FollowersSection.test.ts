// @vitest-environment happy-dom
/**
 * The followers list as a person uses it: waiting followers first, each approved in one click and taken off the
 * same way, the words saying that taking off affects later posts only; one whose DM key is unknown cannot be
 * approved (a post could not be sealed to them).
 */
import { createElement } from 'react';
import { afterEach, expect, test } from 'vitest';
import { parsePseudonymId } from '../../protocol/ids.ts';
import { createFakeCore } from '../testing/fake-core.ts';
import { type Rendered, renderWithCore } from '../testing/render.ts';
import { FollowersSection } from './FollowersSection.tsx';

const GRACE = parsePseudonymId('b2'.repeat(32));
const HEDY = parsePseudonymId('c3'.repeat(32));

let shown: Rendered | undefined;
afterEach(() => {
  shown?.unmount();
  shown = undefined;
});

const buttonNamed = (page: Rendered, name: string) =>
  [...page.container.querySelectorAll('button')].find((b) => b.textContent?.replace(/\s+/g, ' ').trim() === name);

test('approve a follower, then take them off: later posts only, in words', async () => {
  const core = createFakeCore();
  core.followers.push(
    { id: GRACE, name: 'Grace', handle: 'grace@hub.test', approved: false, canRead: true, since: 2 },
    { id: HEDY, handle: 'hedy@hub.test', approved: false, canRead: false, since: 1 },
  );
  const page = renderWithCore(core, createElement(FollowersSection, { pseudonym: core.pseudonym }));
  shown = page;
  const approve = await page.waitFor('the approve button', () => buttonNamed(page, 'Approve Grace (grace@hub.test)'));
  expect(buttonNamed(page, 'Approve hedy@hub.test')?.disabled).toBe(true);
  expect(page.text()).toContain('cannot be sealed to');
  approve.click();
  const takeOff = await page.waitFor('approved', () => buttonNamed(page, 'Take off Grace (grace@hub.test)'));
  expect(page.text()).toContain('can read your followers-only posts from now on');
  takeOff.click();
  await page.waitFor('taken off', () => buttonNamed(page, 'Approve Grace (grace@hub.test)'));
  expect(page.text()).toContain('will not read your later followers-only posts; the ones before stay readable');
});

test('no follower yet: the section says so', async () => {
  const core = createFakeCore();
  const page = renderWithCore(core, createElement(FollowersSection, { pseudonym: core.pseudonym }));
  shown = page;
  await page.waitFor('the words', () => page.text().includes('No one follows you yet'));
});
