/**
 * The corpus cut to fit a field: packed into chunks for long fields (post
 * bodies, bios, DMs), or only the short payloads for small ones.
 */
import { CORPUS, type Payload } from './corpus.ts';

/**
 * The payloads in `chunks`, each chunk's text the payloads joined by
 * newlines, at most `maxChars` code points (a longer payload is cut).
 */
export function packPayloads(payloads: readonly Payload[], maxChars: number): string[] {
  const chunks: string[] = [];
  let current = '';
  for (const p of payloads) {
    const text = [...p.text].slice(0, maxChars).join('');
    if (current && [...current].length + 1 + [...text].length > maxChars) {
      chunks.push(current);
      current = '';
    }
    current = current ? `${current}\n${text}` : text;
  }
  if (current) chunks.push(current);
  return chunks;
}

/** Short payloads (at most `maxChars` code points), for fields with small limits (tags, names, agent models). */
export function shortPayloads(maxChars: number): Payload[] {
  return CORPUS.filter((p) => [...p.text].length <= maxChars && p.text.trim() !== '');
}
