/**
 * The onboarding screen's chunk, asked for once: at start when this browser
 * has never shown a pseudonym (main.tsx: a new person's first screen, fetched
 * beside the worker's start rather than after it), else when first shown.
 */
import { remembersAPseudonym } from './use-active-pseudonym.ts';

let loading: Promise<typeof import('./Onboarding.tsx')> | undefined;

export function loadOnboarding(): Promise<typeof import('./Onboarding.tsx')> {
  loading ??= import('./Onboarding.tsx').catch((error: unknown) => {
    loading = undefined; // a chunk that did not arrive is asked for again next time
    throw error;
  });
  return loading;
}

/** At start: a browser that never showed a pseudonym will show onboarding first. */
export function preloadOnboardingForNewPeople(): void {
  if (!remembersAPseudonym()) loadOnboarding().catch(() => undefined); // shown, it is asked again and says why
}
