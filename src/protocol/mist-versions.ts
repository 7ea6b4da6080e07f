/**
 * A feed's mists as the merge model keeps them (feed-state.ts: every version at its earliest stamp, an unmist
 * winning over every version of its id), grouped by short id, oldest version first: what any reader shows,
 * whatever holds the bytes (the embed page over what its walk fetched; a device over its store). Pure.
 */
import { type FeedState, type Stamp, compareStamps } from './feed-state.ts';
import type { ObjectId, PseudonymId } from './ids.ts';
import { type MistId, type MistObject, decodeMist, mistIdOfVersion, openSecretMist } from './mists.ts';

/** One version of a mist, with its stamp (commit ts, commit id, op index). */
export interface MistVersion {
  readonly object: ObjectId;
  readonly value: MistObject;
  readonly stamp: Stamp;
}

export interface MistVersions {
  /** Oldest first; the first is the mist's first version, the last the one shown. */
  readonly versions: readonly MistVersion[];
  /** A secret mist's content key: its versions and files open with it. */
  readonly contentKey?: Uint8Array;
}

/** The mist objects to read for mistVersionsOf: every public version, and the sealed ones when keys may open them. */
export function mistObjectsOf(state: FeedState, withSealed: boolean): ObjectId[] {
  return [...state.mists].filter(([, v]) => withSealed || !v.value.sealed).map(([id]) => id);
}

/** A sealed version opened with the first of `keys` that opens it, or undefined. */
function openWithAny(sealed: Uint8Array, keys: readonly Uint8Array[], author: PseudonymId) {
  for (const contentKey of keys) {
    try {
      return { value: openSecretMist(sealed, contentKey, author), contentKey };
    } catch {
      // Another mist's key (Undecryptable), or not a mist by this feed's author: not this key's to show.
    }
  }
  return undefined;
}

/**
 * Every mist of `author`'s feed that stands (no unmist names it), by short id. A version whose object is not
 * in `objects` is left out, and so is a sealed one unless one of `keys` opens it.
 * @param objects the bytes of the feed's mist objects, as a walk or a store checked them (mistObjectsOf)
 * @throws ProtocolError (decodeMist) when a public version's bytes are not a mist object
 */
export function mistVersionsOf(
  author: PseudonymId,
  state: FeedState,
  objects: ReadonlyMap<ObjectId, Uint8Array>,
  keys: readonly Uint8Array[] = [],
): Map<MistId, MistVersions> {
  const byMist = new Map<MistId, { versions: MistVersion[]; contentKey?: Uint8Array }>();
  for (const [object, { value: how, stamp }] of state.mists) {
    const bytes = objects.get(object);
    if (!bytes || (how.sealed && keys.length === 0)) continue;
    const opened = how.sealed ? openWithAny(bytes, keys, author) : { value: decodeMist(bytes, object).value };
    if (!opened) continue;
    const id = mistIdOfVersion(opened.value);
    if (state.unmisted.has(id)) continue;
    const entry = byMist.get(id) ?? { versions: [], ...('contentKey' in opened && { contentKey: opened.contentKey }) };
    entry.versions.push({ object, value: opened.value, stamp });
    byMist.set(id, entry);
  }
  for (const { versions } of byMist.values()) versions.sort((a, b) => compareStamps(a.stamp, b.stamp));
  return byMist;
}
