// @vitest-environment happy-dom
/**
 * A timeline open while many feeds are stored (a catch-up sends a change notice per feed): its head re-reads
 * must not land out of order. Two overlapping reads whose answers came back newest first, then the older, left
 * the list at the older page, dropping posts only the newer read had, until the page was reloaded.
 */
import { createElement } from 'react';
import { expect, test } from 'vitest';
import type { TimelineItem, TimelinePage } from '../../../workers/api/api-types.ts';
import type { PseudonymId } from '../../protocol/ids.ts';
import type { CoreCalls } from '../core/core-context.ts';
import { createFakeCore } from '../testing/fake-core.ts';
import { renderWithCore } from '../testing/render.ts';
import { useTimelineFeed } from './use-timeline-feed.ts';

function List({ viewer }: { viewer: PseudonymId }) {
  const feed = useTimelineFeed(viewer, { order: 'newest' }, () => true);
  return createElement(
    'ol',
    null,
    (feed.items ?? []).map((item) => createElement('li', { key: item.id }, item.body)),
  );
}

test('re-reads of the head after notices that come close together end on the newest state', async () => {
  const core = createFakeCore();
  const original = core.calls.listTimeline;
  // Every read answers with what was stored when it was asked (an IndexedDB transaction's view), but only when
  // the test lets it; the test lets the newest read in flight answer first.
  const waiting: { answer: Promise<TimelineItem[]>; release: () => void }[] = [];
  let holding = false;
  const listTimeline = (viewer: PseudonymId, page: TimelinePage) => {
    const answer = original(viewer, page);
    if (!holding) return answer;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    waiting.push({ answer, release });
    return gate.then(() => answer);
  };
  const calls = new Proxy(core.calls, {
    get: (target, name) => (name === 'listTimeline' ? listTimeline : Reflect.get(target, name)),
  }) as CoreCalls;
  const friend = 'b2'.repeat(32) as PseudonymId;
  core.receive(friend, 'the first post');
  const page = renderWithCore({ ...core, calls }, createElement(List, { viewer: core.pseudonym.id }));
  try {
    await page.waitFor('the first post', () => page.text().includes('the first post'));
    holding = true;
    core.receive(friend, 'a second post');
    await page.waitFor('a read of the head', () => waiting.length >= 1);
    core.receive(friend, 'the newest post');
    // Each notice asked for a read; let the newest one asked answer first, again and again, until none waits.
    for (let rounds = 0; rounds < 10; rounds++) {
      // A notice arrives as a microtask and asks for its read at once: after one task every read asked is waiting.
      await new Promise((resolve) => setTimeout(resolve, 0));
      const last = waiting.pop();
      if (!last) break;
      last.release();
      await last.answer;
    }
    holding = false;
    for (const read of waiting.splice(0)) read.release();
    await page.waitFor('all three posts', () => page.text().includes('the newest post'));
    const items = [...page.container.querySelectorAll('li')].map((li) => li.textContent);
    expect(items).toEqual(['the newest post', 'a second post', 'the first post']);
  } finally {
    page.unmount();
  }
});
