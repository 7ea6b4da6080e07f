/**
 * What makes a new screen, for the scroll to start at the top: a new route, and also leaving onboarding or the
 * lock, or another pseudonym, on the same route. Home after importing a backup once kept the import form's
 * scroll, far down the page; a timeline not at its top holds new posts behind "N new posts", so a catch-up
 * never showed (and scroll anchoring pushed the page further down as rows arrived above the fold).
 */
export function screenKey(screen: {
  readonly onboarding: boolean;
  readonly locked: boolean;
  /** The route, as JSON. */
  readonly route: string;
  /** The pseudonym on screen, if any. */
  readonly active: string | undefined;
}): string {
  if (screen.onboarding) return 'onboarding';
  if (screen.locked) return 'locked';
  return `${screen.route}:${screen.active ?? ''}`;
}
