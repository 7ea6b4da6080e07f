// @vitest-environment happy-dom
/** useCore() without a <CoreProvider> is a wiring mistake and says so, instead of a screen that never loads. */
import { createElement } from 'react';
import { createRoot } from 'react-dom/client';
import { expect, test } from 'vitest';
import { createFakeCore } from '../testing/fake-core.ts';
import { renderWithCore } from '../testing/render.ts';
import { useCore } from './use-core.ts';

function Probe() {
  const core = useCore();
  return createElement('p', null, typeof core.listTimeline === 'function' ? 'has the core' : 'no core');
}

test('a component using useCore outside a provider fails with a TypeError that names the provider', async () => {
  const container = document.createElement('div');
  let caught: unknown;
  const uncaught = new Promise<void>((resolve) => {
    const root = createRoot(container, {
      onUncaughtError: (error) => {
        caught = error;
        resolve();
      },
    });
    root.render(createElement(Probe));
  });
  await uncaught;
  expect(caught).toBeInstanceOf(TypeError);
  expect((caught as Error).message).toContain('<CoreProvider>');
});

test("inside a provider the same component gets the provider's core", async () => {
  const page = renderWithCore(createFakeCore(), createElement(Probe));
  try {
    await page.waitFor('the probe', () => page.text().includes('has the core'));
  } finally {
    page.unmount();
  }
});
