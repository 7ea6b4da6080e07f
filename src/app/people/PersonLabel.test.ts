// @vitest-environment happy-dom
/** A person as every screen names one: the published name, the handle beside it, else a fingerprint. */
import { createElement } from 'react';
import { afterEach, expect, test } from 'vitest';
import { parsePseudonymId } from '../../protocol/ids.ts';
import { createFakeCore } from '../testing/fake-core.ts';
import { type Rendered, renderWithCore } from '../testing/render.ts';
import { type Person, PersonLabel, personText, personTitle } from './PersonLabel.tsx';

const ADA = parsePseudonymId('a1'.repeat(32));

let shown: Rendered | undefined;
afterEach(() => {
  shown?.unmount();
  shown = undefined;
});

/** The parts on the page, by test id: [name, handle]. */
async function parts(person: Person): Promise<(string | undefined)[]> {
  shown = renderWithCore(createFakeCore(), createElement(PersonLabel, { person }));
  const page = shown;
  const label = await page.waitFor('the label', () => page.container.querySelector('[data-testid="person"]'));
  const text = (id: string) => label.querySelector(`[data-testid="${id}"]`)?.textContent ?? undefined;
  return [text('person-name'), text('person-handle'), label.textContent ?? undefined];
}

test.each<{ comment: string; person: Person; shown: (string | undefined)[]; text: string; title: string }>([
  {
    comment: 'a published name, the handle beside it (a space between, for screen readers and copying)',
    person: { id: ADA, name: 'Ada Lovelace', handle: 'ada@hub.example' },
    shown: ['Ada Lovelace', 'ada@hub.example', 'Ada Lovelace ada@hub.example'],
    text: 'Ada Lovelace (ada@hub.example)',
    title: 'Ada Lovelace',
  },
  {
    comment: 'a name and no handle known here: the key fingerprint beside it',
    person: { id: ADA, name: 'Ada' },
    shown: ['Ada', 'a1a1a1a1…', 'Ada a1a1a1a1…'],
    text: 'Ada (a1a1a1a1…)',
    title: 'Ada',
  },
  {
    comment: 'a blank name is no name: the handle alone',
    person: { id: ADA, name: '   ', handle: 'ada@hub.example' },
    shown: [undefined, 'ada@hub.example', 'ada@hub.example'],
    text: 'ada@hub.example',
    title: 'ada@hub.example',
  },
])('$comment', async ({ person, shown: want, text, title }) => {
  expect(await parts(person)).toEqual(want);
  expect(personText(person)).toBe(text);
  expect(personTitle(person)).toBe(title);
});
