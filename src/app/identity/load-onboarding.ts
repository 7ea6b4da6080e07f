/**
 * The onboarding screen's chunk. A returning person never sees it, so it is
 * not in the first screen's script; a browser that remembers no pseudonym
 * (a first visit) starts loading it with the page (main.tsx), beside the
 * worker's start, so its first screen waits for no extra round trip. App.tsx
 * renders it lazily from the same import, which the module map shares.
 */
export function loadOnboarding() {
  return import('./Onboarding.tsx').then((m) => ({ default: m.Onboarding }));
}
