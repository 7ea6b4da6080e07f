// @vitest-environment happy-dom
/** A profile's list of agents: each by name and model, the revoked ones marked. */
import { createElement } from 'react';
import { afterEach, expect, test } from 'vitest';
import { parsePseudonymId } from '../../protocol/ids.ts';
import { createFakeCore } from '../testing/fake-core.ts';
import { type Rendered, renderWithCore } from '../testing/render.ts';
import { ProfileAgents } from './ProfileAgents.tsx';

let shown: Rendered | undefined;
afterEach(() => {
  shown?.unmount();
  shown = undefined;
});

test('lists each agent with its model, marking the revoked ones', async () => {
  const agents = [
    { id: parsePseudonymId('c3'.repeat(32)), model: 'model-1', name: 'scribe', revoked: false },
    { id: parsePseudonymId('c4'.repeat(32)), model: 'model-2', name: 'critic', revoked: true },
  ];
  shown = renderWithCore(createFakeCore(), createElement(ProfileAgents, { agents }));
  const page = shown;
  const items = await page.waitFor('the agents', () => {
    const found = [...page.container.querySelectorAll('[data-testid="profile-agent"]')];
    return found.length > 0 && found;
  });
  expect(items.map((li) => li.textContent?.replace(/\s+/g, ' ').trim().split(' ').slice(0, 4).join(' '))).toEqual([
    'scribe (model-1) c3c3c3c3…',
    'critic (model-2) · revoked',
  ]);
});

test('says nothing when the feed has no agents', async () => {
  const agents = [{ id: parsePseudonymId('c3'.repeat(32)), revoked: true }];
  shown = renderWithCore(createFakeCore(), createElement(ProfileAgents, { agents }));
  const page = shown;
  // Rendered with one, so the empty case below is not passing only because React had not rendered yet.
  await page.waitFor('one agent', () => page.container.querySelector('[data-testid="profile-agent"]'));
  page.unmount();
  shown = renderWithCore(createFakeCore(), createElement(ProfileAgents, { agents: [] }));
  await new Promise((resolve) => setTimeout(resolve, 0));
  expect(shown.container.querySelector('[data-testid="profile-agents"]')).toBeNull();
});
