/**
 * A span of time as people write it for `timeline --since` (and the MCP
 * server's `timeline` tool): a whole number and a unit, `45s`, `30m`, `2h`,
 * `1d`.
 */

/** What a span looks like (after trimming). */
export const SPAN = /^(\d{1,6})([smhd])$/;

const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** The length of span `text` in milliseconds, or undefined when it is not one. */
export function findSpanMs(text: string): number | undefined {
  const match = SPAN.exec(text.trim());
  return match ? Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS] : undefined;
}
