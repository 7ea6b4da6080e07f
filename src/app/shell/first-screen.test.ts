// @vitest-environment happy-dom
/**
 * What waits for the first screen: the spinner is not in the first frame
 * (a running animation there delayed Lighthouse's first paint by ~1.2 s), and
 * background work runs after a frame and idle, never at once, and not at all
 * once cancelled.
 */
import { createElement, useLayoutEffect } from 'react';
import { afterEach, expect, test } from 'vitest';
import { createFakeCore } from '../testing/fake-core.ts';
import { type Rendered, renderWithCore } from '../testing/render.ts';
import { afterPaintAndIdle, firstScreenShown, markFirstScreenShown } from './first-screen.ts';
import { LateSpinner } from './LateSpinner.tsx';

let shown: Rendered | undefined;
afterEach(() => {
  shown?.unmount();
  shown = undefined;
});

/** Records, in the same commit as its siblings, how many spinners the page holds: what the first frame would show. */
function Probe({ onFirstCommit }: { onFirstCommit: (spinners: number) => void }) {
  useLayoutEffect(() => onFirstCommit(document.querySelectorAll('.spinner').length), [onFirstCommit]);
  return null;
}

test('the first commit of a wait shows its words without a spinner; the spinner comes later', async () => {
  let spinnersAtFirstCommit: number | undefined;
  const onFirstCommit = (spinners: number) => {
    spinnersAtFirstCommit ??= spinners;
  };
  shown = renderWithCore(
    createFakeCore(),
    createElement('p', null, createElement(LateSpinner), ' Opening Murmur…', createElement(Probe, { onFirstCommit })),
  );
  const page = shown;
  await page.waitFor('the words', () => page.text().includes('Opening Murmur…'));
  expect(spinnersAtFirstCommit).toBe(0);
  await page.waitFor('the late spinner', () => page.container.querySelector('.spinner'));
});

test('afterPaintAndIdle runs its task later, never at once; a cancelled task never runs', async () => {
  const ran: string[] = [];
  afterPaintAndIdle(() => ran.push('kept'));
  const cancel = afterPaintAndIdle(() => ran.push('cancelled'));
  cancel();
  expect(ran).toEqual([]);
  await new Promise<void>((resolve) => afterPaintAndIdle(resolve));
  // Both were scheduled before the one awaited, so both would have run by now.
  expect(ran).toEqual(['kept']);
});

test('firstScreenShown resolves once the first screen says it is shown', async () => {
  const order: string[] = [];
  const waiting = firstScreenShown().then(() => order.push('shown'));
  await Promise.resolve();
  order.push('before');
  markFirstScreenShown();
  await waiting;
  expect(order).toEqual(['before', 'shown']);
});
