// @vitest-environment happy-dom
/** A post's byline as a person reads it: an agent's post says who wrote it, for whom. */
import { createElement } from 'react';
import { afterEach, expect, test } from 'vitest';
import type { TimelineItem } from '../../../workers/api/api-types.ts';
import { parseObjectId, parsePseudonymId } from '../../protocol/ids.ts';
import { createFakeCore } from '../testing/fake-core.ts';
import { type Rendered, renderWithCore } from '../testing/render.ts';
import { PostHeader } from './PostHeader.tsx';

const ADA = parsePseudonymId('a1'.repeat(32));
const AGENT = parsePseudonymId('c3'.repeat(32));
const ID = parseObjectId('d4'.repeat(32));
const base: TimelineItem = { id: ID, commitId: ID, author: ADA, body: 'hi', ts: 0, verified: true, queued: false };

let shown: Rendered | undefined;
afterEach(() => {
  shown?.unmount();
  shown = undefined;
});

/** The byline rendered, once React has put it on the page. */
async function byline(item: TimelineItem): Promise<Rendered> {
  shown = renderWithCore(createFakeCore(), createElement(PostHeader, { item, now: 60_000 }));
  const page = shown;
  await page.waitFor('the byline', () => page.container.querySelector('.post-meta'));
  return page;
}

test('a delegated agent’s post reads "NAME (MODEL) on behalf of OWNER", with the verified mark', async () => {
  const page = await byline({
    ...base,
    authorName: 'Ada',
    agent: { id: AGENT, model: 'model-1', delegated: true, name: 'scribe' },
  });
  const mark = page.container.querySelector('[data-testid="agent-byline"]');
  expect(mark?.textContent).toBe('scribe (model-1) on behalf of Ada');
  expect(page.container.querySelector('[data-testid="verified"]')).not.toBeNull();
});

test('an unnamed delegated agent is named by its key; an owner without a name by the handle', async () => {
  const page = await byline({
    ...base,
    authorHandle: 'ada@hub.test',
    agent: { id: AGENT, model: 'm', delegated: true },
  });
  expect(page.container.querySelector('[data-testid="agent-byline"]')?.textContent).toMatch(
    /^agent .+ \(m\) on behalf of ada@hub\.test$/,
  );
});

test('an agent the author only declares shows its model, and no "on behalf of"', async () => {
  const page = await byline({ ...base, authorName: 'Ada', agent: { id: AGENT, model: 'model-2', delegated: false } });
  expect(page.container.querySelector('[data-testid="agent"]')?.textContent).toContain('model-2');
  expect(page.text()).not.toContain('on behalf of');
});

test('every post says who it is for, in words: public, people named, anyone with the link', async () => {
  const words = [];
  for (const audience of [undefined, 'allowlist', 'link'] as const) {
    const page = await byline({ ...base, ...(audience && { audience }) });
    words.push(page.container.querySelector('[data-testid="post-audience"]')?.textContent);
    page.unmount();
    shown = undefined;
  }
  expect(words).toEqual(['For: Public', 'For: People named', 'For: Anyone with the link']);
});
