// @vitest-environment happy-dom
/**
 * The home screen rendered against an in-process core (src/app/testing/):
 * what a person sees of the timeline, and a post written in the composer
 * arriving in it through the core's change notice.
 */
import { createElement } from 'react';
import { afterEach, describe, expect, test } from 'vitest';
import { parsePseudonymId } from '../../protocol/ids.ts';
import { ComposeHost } from '../compose/ComposeHost.tsx';
import { type FakeCore, createFakeCore } from '../testing/fake-core.ts';
import { type Rendered, renderWithCore, typeInto } from '../testing/render.ts';
import { HomeScreen } from './HomeScreen.tsx';

const GRACE = parsePseudonymId('b2'.repeat(32));

let shown: Rendered | undefined;
afterEach(() => {
  shown?.unmount();
  shown = undefined;
  localStorage.clear();
});

function renderHome(core: FakeCore): Rendered {
  const { pseudonym } = core;
  const home = createElement(HomeScreen, { pseudonym });
  shown = renderWithCore(core, createElement(ComposeHost, { pseudonym }, home));
  return shown;
}

/** The bodies of the posts in the timeline list, top first. */
function timelineBodies(page: Rendered): string[] {
  const list = page.container.querySelector('.timeline-list');
  return [...(list?.querySelectorAll('.post-body') ?? [])].map((body) => body.textContent?.trim() ?? '');
}

describe('the home screen over an in-process core', () => {
  test('shows the timeline the core answers, newest first', async () => {
    const core = createFakeCore();
    core.receive(GRACE, 'First light over the harbour');
    core.receive(core.pseudonym.id, 'Second: coffee, then code');
    const page = renderHome(core);

    const bodies = await page.waitFor('two posts', () => timelineBodies(page).length === 2 && timelineBodies(page));
    expect(bodies).toEqual(['Second: coffee, then code', 'First light over the harbour']);
    expect(page.text()).toContain('You are all caught up.');
    expect(core.missing).toEqual([]);
  });

  test('says so when there is nothing yet', async () => {
    const core = createFakeCore();
    const page = renderHome(core);
    await page.waitFor('the empty timeline', () => page.text().includes('Nothing here yet'));
    expect(timelineBodies(page)).toEqual([]);
    expect(core.missing).toEqual([]);
  });

  test('a post written in the composer shows at the top of the timeline', async () => {
    const core = createFakeCore();
    core.receive(GRACE, 'An older post');
    const page = renderHome(core);
    await page.waitFor('the first post', () => timelineBodies(page).length === 1);
    const box = await page.waitFor('the composer ready (its draft read)', () => {
      const field = page.container.querySelector<HTMLTextAreaElement>('textarea[aria-label="New post"]');
      return field && !field.readOnly && field;
    });

    typeInto(box, 'Hello from a component test');
    const send = await page.waitFor('the Post button enabled', () => {
      const button = [...page.container.querySelectorAll('button')].find((b) => b.textContent?.trim() === 'Post');
      return button && !button.disabled && button;
    });
    send.click();

    const bodies = await page.waitFor('the new post', () => timelineBodies(page).length === 2 && timelineBodies(page));
    expect(bodies).toEqual(['Hello from a component test', 'An older post']);
    expect(core.posts[0]).toMatchObject({ author: core.pseudonym.id, body: 'Hello from a component test' });
    await page.waitFor('the composer emptied', () => box.value === '');
    expect(core.missing).toEqual([]);
  });

  test('a followed post arriving later shows without a reload', async () => {
    const core = createFakeCore();
    const page = renderHome(core);
    await page.waitFor('the empty timeline', () => page.text().includes('Nothing here yet'));
    core.receive(GRACE, 'Late news from Grace');
    await page.waitFor('the arrival', () => timelineBodies(page).includes('Late news from Grace'));
    expect(core.missing).toEqual([]);
  });

  test('a new order keeps the rows on screen until its page is read, so the page does not shorten', async () => {
    const core = createFakeCore();
    core.receive(GRACE, 'Older');
    core.receive(core.pseudonym.id, 'Newer');
    const page = renderHome(core);
    await page.waitFor('two posts', () => timelineBodies(page).length === 2);
    const release = core.holdReads();
    const order = [...page.container.querySelectorAll('button')].find((b) => b.textContent === 'Newest first');
    order?.click();
    await page.waitFor('the order switched', () => page.text().includes('Oldest first'));
    expect(timelineBodies(page)).toEqual(['Newer', 'Older']);
    expect(page.container.querySelector('.timeline')?.getAttribute('aria-busy')).toBe('true');
    expect(page.text()).not.toContain('Loading the timeline');
    release();
    const bodies = await page.waitFor(
      'the new order',
      () => timelineBodies(page)[0] === 'Older' && timelineBodies(page),
    );
    expect(bodies).toEqual(['Older', 'Newer']);
    expect(page.container.querySelector('.timeline')?.hasAttribute('aria-busy')).toBe(false);
  });

  test('a timeline the core cannot read is said in words', async () => {
    const core = createFakeCore();
    core.failReads('Offline');
    const page = renderHome(core);
    const alert = await page.waitFor('the failure', () =>
      [...page.container.querySelectorAll('[role="alert"]')].find((a) => a.textContent?.includes('timeline')),
    );
    expect(alert.textContent).toBe('Could not read the timeline: You are offline');
  });
});
