// @vitest-environment happy-dom
/**
 * The feed file section's two passphrase fields (src/app/shell/PassphraseField.tsx) as a person and a password
 * manager meet them: found by their label, hidden as they are typed, marked as a new passphrase (the key's,
 * shown only once "Include my key" is ticked) or one asked back (the import's), and keeping what is typed.
 */
import { createElement } from 'react';
import { afterEach, expect, test } from 'vitest';
import { createFakeCore } from '../testing/fake-core.ts';
import { type Rendered, renderWithCore, typeInto } from '../testing/render.ts';
import { FeedFileSection } from './FeedFileSection.tsx';

let shown: Rendered | undefined;
afterEach(() => {
  shown?.unmount();
  shown = undefined;
});

/** The input that the label reading `text` names, as assistive technology finds it. */
function fieldLabelled(page: Rendered, text: string): HTMLInputElement | undefined {
  const label = [...page.container.querySelectorAll('label')].find((l) => l.textContent?.trim() === text);
  const field = label && page.container.querySelector(`[id="${label.htmlFor}"]`);
  return field instanceof HTMLInputElement ? field : undefined;
}

test('the key passphrase shows with "Include my key"; fields labelled, hidden, marked, kept', async () => {
  const core = createFakeCore();
  const page = renderWithCore(core, createElement(FeedFileSection, { pseudonym: core.pseudonym }));
  shown = page;
  const imported = await page.waitFor('the import passphrase', () =>
    fieldLabelled(page, "Its key's passphrase (only for a pseudonym not on this device)"),
  );
  expect(fieldLabelled(page, 'Passphrase for the key')).toBeUndefined();

  const include = page.container.querySelector<HTMLInputElement>('input[type="checkbox"]')!;
  include.click();
  const key = await page.waitFor('the key passphrase', () => fieldLabelled(page, 'Passphrase for the key'));

  expect([key, imported].map((f) => [f.type, f.autocomplete])).toEqual([
    ['password', 'new-password'],
    ['password', 'current-password'],
  ]);
  typeInto(key, 'a passphrase for the key');
  typeInto(imported, 'the old passphrase');
  // Untick and tick again: the key's field is made anew from the section's state, and the import's is rendered
  // again (a controlled field whose change was lost is set back by React).
  include.click();
  await page.waitFor('the key passphrase gone', () => !fieldLabelled(page, 'Passphrase for the key'));
  include.click();
  const again = await page.waitFor('the key passphrase again', () => fieldLabelled(page, 'Passphrase for the key'));
  expect([again.value, imported.value]).toEqual(['a passphrase for the key', 'the old passphrase']);
});

test('a long export says how far it is, in words and on a progress bar, until it ends', async () => {
  const core = createFakeCore();
  let finish = (_: unknown) => {};
  const calls = core.calls as unknown as Record<string, unknown>;
  calls.findFeedFileProgress = async () => ({ phase: 'exporting', done: 1200, total: 10_000 });
  calls.exportFeed = () => new Promise((resolve) => (finish = resolve));
  const page = renderWithCore(core, createElement(FeedFileSection, { pseudonym: core.pseudonym }));
  shown = page;
  const status = () => page.container.querySelector('[data-testid="feed-file-status"]')?.textContent;
  const button = await page.waitFor('the export button', () =>
    [...page.container.querySelectorAll('button')].find((b) => b.textContent === 'Export feed'),
  );
  expect(page.container.querySelector('progress')).toBeNull(); // nothing runs here yet
  button.click();
  await page.waitFor('the progress', () => status() === 'Writing your feed… 1,200 of 10,000 commits');
  const bar = page.container.querySelector('progress')!;
  expect([bar.max, bar.value, bar.getAttribute('aria-label')]).toEqual([
    10_000,
    1200,
    'Writing your feed… 1,200 of 10,000 commits',
  ]);
  finish({ ok: false, error: 'Locked', message: 'Unlock your keys first' });
  await page.waitFor('the outcome', () => page.container.querySelector('progress') === null);
  expect(status()).not.toContain('1,200');
});
