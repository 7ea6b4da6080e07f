/**
 * Mists in words, for people: a list (name, what kind, who, when, id) and one
 * mist (its header, then its file as text). Everything the author wrote is
 * printed inert (inert.ts): a mist may hold any bytes.
 */
import type { ForkLink, ForkSeen, MistView } from '../../../workers/read/mists.ts';
import { inert } from './inert.ts';
import { ago, whoWords } from './post-words.ts';

function kindOf(mist: MistView): string {
  return [mist.artifact, mist.language].filter(Boolean).join(', ');
}

function sizeWords(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

function byline(mist: MistView): string {
  const who = whoWords(mist.author, mist.handle);
  return mist.agent
    ? `${mist.agent.name ?? whoWords(mist.agent.id, null)} (${mist.agent.model}) on behalf of ${who}`
    : who;
}

export function mistListWords(mists: readonly MistView[], now: number): string {
  if (mists.length === 0) return 'No mists yet. Share a file: murmur mist create FILE';
  return mists
    .map((m) => {
      const title = m.title ? `  ${inert(m.title)}` : '';
      const fork = m.forkOf ? `; fork of ${m.forkOf.mist}` : '';
      const versions = m.versions > 1 ? `; ${m.versions} versions` : '';
      const about = `${kindOf(m)}, ${sizeWords(m.size)}; ${byline(m)}, ${ago(now - m.updated)}`;
      const secret = m.secret ? '; secret' : '';
      return `${inert(m.name)}${title}\n  ${about}${versions}${fork}${secret}\n  ${m.id}`;
    })
    .join('\n\n');
}

/** One mist: its header, then its file as text (or a note that it is binary). */
export function mistWords(
  mist: MistView,
  text: string | null,
  anchors: readonly string[],
  now: number,
  family: { forkChain: readonly ForkLink[]; forks: readonly ForkSeen[] },
): string {
  const lines = [
    `${inert(mist.name)} (${kindOf(mist)}, ${sizeWords(mist.size)})`,
    ...(mist.title ? [inert(mist.title)] : []),
    `by ${byline(mist)}, ${ago(now - mist.updated)}; version ${mist.versions}; mist ${mist.id}`,
    ...family.forkChain.map(
      (p) =>
        `forked from ${whoWords(p.author, p.handle)}/${p.mist} (depth ${p.depth}${p.held ? '' : ', not seen here'})`,
    ),
    ...(family.forks.length > 0
      ? [`forks: ${family.forks.map((f) => `${whoWords(f.author, f.handle)}/${f.id}`).join(', ')}`]
      : []),
    ...(mist.tags.length > 0 ? [mist.tags.map((t) => `#${t}`).join(' ')] : []),
    ...(mist.description ? ['', inert(mist.description)] : []),
    ...(anchors.length > 0 ? ['', `symbols: ${anchors.map(inert).join(', ')}`] : []),
    '',
    text === null ? `(binary, ${mist.size} bytes: murmur mist read ${mist.id} --raw > FILE writes it)` : inert(text),
  ];
  return lines.join('\n');
}
