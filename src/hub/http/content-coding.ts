/**
 * Which precompressed copy of an app file an Accept-Encoding allows (RFC 9110
 * section 12.5.3), pure. The build writes `.br` and `.gz` copies
 * (scripts/precompress.ts); the hub never compresses per request.
 */

/**
 * The extensions of the app's files that have copies: the build writes them for these and the hub looks for them
 * for these, from this one list. Every other file (images, fonts, wasm) is already compressed or small.
 */
export const COMPRESSIBLE: ReadonlySet<string> = new Set([
  '.html',
  '.js',
  '.mjs',
  '.css',
  '.json',
  '.webmanifest',
  '.svg',
  '.txt',
]);

export type ContentCoding = 'br' | 'gzip';

/** A coding and the suffix of its copy beside the file. */
export interface Coding {
  readonly coding: ContentCoding;
  readonly suffix: string;
}

/**
 * The copies the build writes (scripts/precompress.ts), in the order the hub prefers them when the client weighs
 * them the same: brotli is smaller.
 */
export const CODINGS: readonly Coding[] = [
  { coding: 'br', suffix: '.br' },
  { coding: 'gzip', suffix: '.gz' },
];

/** Each coding the header names with its weight (q, 0 to 1; an unreadable q counts as 0). */
function weights(header: string): Map<string, number> {
  const named = new Map<string, number>();
  for (const part of header.split(',')) {
    const [name, ...params] = part.split(';').map((s) => s.trim().toLowerCase());
    if (!name) continue;
    let q = 1;
    for (const param of params) {
      const match = /^q\s*=\s*(.*)$/.exec(param);
      // A q that is no number from 0 to 1 ("high", "", "2", "1.2.3": NaN fails the <=) counts as 0.
      if (match) q = /^[0-9.]+$/.test(match[1]!) && Number(match[1]) <= 1 ? Number(match[1]) : 0;
    }
    named.set(name, q);
  }
  return named;
}

/**
 * The codings an Accept-Encoding header allows, each with its copy's suffix, best first: weight from the header
 * (a coding it does not name takes `*`'s, or 0), ties broken by CODINGS' order; q=0 means never. No header, or
 * one naming neither coding nor `*`, allows none, and the answer is the file itself (identity).
 */
export function acceptableCodings(header: string | undefined): Coding[] {
  if (!header) return [];
  const named = weights(header);
  const star = named.get('*') ?? 0;
  const weighed = CODINGS.map((copy, order) => ({ copy, order, q: named.get(copy.coding) ?? star }));
  return weighed
    .filter((c) => c.q > 0)
    .sort((a, b) => b.q - a.q || a.order - b.order)
    .map((c) => c.copy);
}
