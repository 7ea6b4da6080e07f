// @vitest-environment happy-dom
/**
 * The composer's audience, as a person uses it: one labelled control, the people to name, the words that say
 * what each choice means, and the audience the post is sent with.
 */
import { createElement } from 'react';
import { afterEach, expect, test } from 'vitest';
import { parsePseudonymId } from '../../protocol/ids.ts';
import { type FakeCore, createFakeCore } from '../testing/fake-core.ts';
import { type Rendered, renderWithCore, typeInto } from '../testing/render.ts';
import { ComposeHost } from './ComposeHost.tsx';
import { Composer } from './Composer.tsx';

const GRACE = parsePseudonymId('b2'.repeat(32));
const HEDY = parsePseudonymId('c3'.repeat(32));

let shown: Rendered | undefined;
afterEach(() => {
  shown?.unmount();
  shown = undefined;
  localStorage.clear();
});

async function composer(core: FakeCore) {
  const { pseudonym } = core;
  shown = renderWithCore(core, createElement(ComposeHost, { pseudonym }, createElement(Composer, { pseudonym })));
  const page = shown;
  const box = await page.waitFor('the composer ready', () => {
    const field = page.container.querySelector<HTMLTextAreaElement>('textarea[aria-label="New post"]');
    return field && !field.readOnly && field;
  });
  const select = page.container.querySelector<HTMLSelectElement>('select')!;
  const label = page.container.querySelector(`label[for="${select.id}"]`);
  return { page, box, select, label };
}

function choose(select: HTMLSelectElement, value: string) {
  Object.getOwnPropertyDescriptor(HTMLSelectElement.prototype, 'value')?.set?.call(select, value);
  select.dispatchEvent(new Event('change', { bubbles: true }));
}

async function send(page: Rendered) {
  const button = await page.waitFor('the Post button enabled', () => {
    const b = [...page.container.querySelectorAll('button')].find((x) => x.textContent?.trim() === 'Post');
    return b && !b.disabled && b;
  });
  button.click();
}

test('one labelled control offers Public, followers, People I name and the link; public is the default', async () => {
  const core = createFakeCore();
  const { page, box, select, label } = await composer(core);
  expect(label?.textContent).toBe('Who can read this');
  expect([...select.options].map((o) => o.textContent)).toEqual([
    'Public',
    'My approved followers',
    'People I name',
    'Anyone with the link',
  ]);
  expect(select.value).toBe('public');
  typeInto(box, 'hello everyone');
  await send(page);
  await page.waitFor('the post sent', () => core.postOptions.length === 1);
  expect(core.postOptions[0]?.audience).toBeUndefined();
});

test('people I name: ticked people are the readers, and removing one is said to affect later posts only', async () => {
  const core = createFakeCore();
  core.candidates.push(
    { id: GRACE, name: 'Grace', handle: 'grace@hub.test', canRead: true },
    { id: HEDY, handle: 'hedy@hub.test', canRead: false },
  );
  const { page, box, select } = await composer(core);
  choose(select, 'allowlist');
  const boxes = await page.waitFor('the people to name', () => {
    const found = page.container.querySelectorAll<HTMLInputElement>('fieldset input[type="checkbox"]');
    return found.length === 2 && [...found];
  });
  expect(page.text()).toContain('affects later posts only');
  expect(page.text()).toContain('Grace (grace@hub.test)');
  expect(boxes[1]?.disabled).toBe(true); // no DM key known: cannot be sealed to
  boxes[0]!.click();
  typeInto(box, 'for grace');
  await send(page);
  await page.waitFor('the post sent', () => core.postOptions.length === 1);
  expect(core.postOptions[0]?.audience).toEqual({ kind: 'allowlist', readers: [GRACE] });
});

test('my approved followers: the post goes to them, and the words say how many read it and who waits', async () => {
  const core = createFakeCore();
  core.followers.push(
    { id: GRACE, name: 'Grace', approved: true, canRead: true, since: 1 },
    { id: HEDY, approved: false, canRead: true, since: 2 },
  );
  const { page, box, select } = await composer(core);
  choose(select, 'followers');
  const count = await page.waitFor('the approved count', () =>
    page.container.querySelector('[data-testid="audience-followers"]'),
  );
  expect(count.textContent).toContain('1 approved follower will read it.');
  expect(count.textContent).toContain('1 waiting for approval.');
  expect(page.text()).toContain('affects later posts only');
  typeInto(box, 'for my followers');
  await send(page);
  await page.waitFor('the post sent', () => core.postOptions.length === 1);
  expect(core.postOptions[0]?.audience).toEqual({ kind: 'followers' });
});

test('anyone with the link: the post goes as a link post, and the words say the key never reaches a hub', async () => {
  const core = createFakeCore();
  const { page, box, select } = await composer(core);
  choose(select, 'link');
  await page.waitFor('the link words', () => page.text().includes('never reaches a hub'));
  typeInto(box, 'behind a link');
  await send(page);
  await page.waitFor('the post sent', () => core.postOptions.length === 1);
  expect(core.postOptions[0]?.audience).toEqual({ kind: 'link' });
});

test('answering a post that is not public says a public answer would be public', async () => {
  const core = createFakeCore();
  const item = core.receive(GRACE, 'for named people');
  const sealed = { ...item, audience: 'allowlist' as const };
  const { pseudonym } = core;
  const target = { kind: 'reply' as const, item: sealed };
  shown = renderWithCore(
    core,
    createElement(ComposeHost, { pseudonym }, createElement(Composer, { pseudonym, target })),
  );
  const page = shown;
  const hint = await page.waitFor('the audience words', () =>
    page.container.querySelector('[data-testid="audience-hint"]'),
  );
  expect(hint.textContent).toContain('The post you answer is not public: this answer would be.');
  choose(page.container.querySelector<HTMLSelectElement>('select')!, 'link');
  await page.waitFor('the words for a link', () => !hint.textContent?.includes('this answer would be'));
});
