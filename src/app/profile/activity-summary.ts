/** Words for a year of daily post counts (the heatmap's accessible summary). */

const DAY = 86_400_000;
const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: 'UTC' });

/** @param activity posts per UTC day, oldest first, ending today (`now`). */
export function summarizeActivity(activity: readonly number[], now: number): string {
  const total = activity.reduce((a, b) => a + b, 0);
  if (total === 0) return 'No posts in the last year.';
  const activeDays = activity.filter((n) => n > 0).length;
  let best = 0;
  activity.forEach((n, i) => {
    if (n > (activity[best] ?? 0)) best = i;
  });
  const bestDate = dateOfIndex(best, activity.length, now);
  const posts = `${total} post${total === 1 ? '' : 's'}`;
  const days = `${activeDays} day${activeDays === 1 ? '' : 's'}`;
  return `${posts} in the last year, on ${days}. Busiest day: ${dateFormat.format(bestDate)} with ${activity[best]}.`;
}

export function dateOfIndex(index: number, length: number, now: number): Date {
  const today = Math.floor(now / DAY) * DAY;
  return new Date(today - (length - 1 - index) * DAY);
}

/** 0..4: how dark a cell is, relative to the busiest day. */
export function level(count: number, max: number): number {
  if (count <= 0 || max <= 0) return 0;
  return Math.min(4, 1 + Math.floor((count / max) * 3.999));
}
