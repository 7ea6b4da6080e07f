/**
 * Handles this pseudonym has seen (its own, and authors on its timeline),
 * kept per pseudonym so a handle filter can become author ids and a
 * "reposted by" can name its reposter. Nothing here mixes pseudonyms.
 */
import { useSyncExternalStore } from 'react';
import type { TimelineItem } from '../../../workers/api/api-types.ts';
import type { PseudonymId } from '../../protocol/ids.ts';

export interface KnownHandles {
  readonly byId: ReadonlyMap<PseudonymId, string>;
  readonly byHandle: ReadonlyMap<string, PseudonymId>;
}

const PREFIX = 'murmur.handles.';
const cache = new Map<PseudonymId, KnownHandles>();
const listeners = new Set<() => void>();

function load(viewer: PseudonymId): KnownHandles {
  let known = cache.get(viewer);
  if (known) return known;
  let pairs: [PseudonymId, string][] = [];
  try {
    pairs = JSON.parse(localStorage.getItem(PREFIX + viewer) ?? '[]') as [PseudonymId, string][];
  } catch {
    pairs = [];
  }
  known = build(pairs);
  cache.set(viewer, known);
  return known;
}

function build(pairs: readonly (readonly [PseudonymId, string])[]): KnownHandles {
  return { byId: new Map(pairs), byHandle: new Map(pairs.map(([id, h]) => [h.toLowerCase(), id])) };
}

/** Records handles seen by `viewer` (own included). */
export function learnHandles(
  viewer: PseudonymId,
  items: readonly Pick<TimelineItem, 'author' | 'authorHandle'>[],
): void {
  const known = load(viewer);
  const fresh = items.filter((i) => i.authorHandle && known.byId.get(i.author) !== i.authorHandle);
  if (fresh.length === 0) return;
  const next = new Map(known.byId);
  for (const i of fresh) next.set(i.author, i.authorHandle as string);
  const pairs = [...next];
  cache.set(viewer, build(pairs));
  try {
    localStorage.setItem(PREFIX + viewer, JSON.stringify(pairs.slice(-2000)));
  } catch (error) {
    console.warn('murmur: could not keep known handles', error);
  }
  for (const l of listeners) l();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useKnownHandles(viewer: PseudonymId): KnownHandles {
  return useSyncExternalStore(subscribe, () => load(viewer));
}
