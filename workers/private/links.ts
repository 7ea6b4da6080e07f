/**
 * Link posts a pseudonym made, kept in its private document so that its
 * other devices open them too: a link post has no key envelope, and its
 * secret travels only in the link (PROTOCOL.md, Audiences), so without this
 * only the device that made it could read it. The private document travels
 * sealed (private-seal.ts), like drafts and sent messages.
 *
 * `linkPosts`: Y.Map of post id (the sealed blob's) -> { commit, key } (the
 * commit that published it and the link's `#k=` fragment; written once and
 * never changed).
 */
import type * as Y from 'yjs';
import { parseLinkFragment } from '../../src/protocol/audience.ts';
import { type CommitId, type ObjectId, isObjectId } from '../../src/protocol/ids.ts';

export interface LinkPostKey {
  readonly post: ObjectId;
  readonly commit: CommitId;
  /** `#k=` and the link secret (audience.ts linkFragment). */
  readonly key: string;
}

const LINKS = 'linkPosts';

/** Records a link post this device made (call inside a transaction). */
export function recordLink(doc: Y.Doc, link: LinkPostKey): void {
  const map = doc.getMap<unknown>(LINKS);
  if (!map.has(link.post)) map.set(link.post, { commit: link.commit, key: link.key });
}

/** Every well-formed entry; anything else (another version's, a damaged one) is left out, not trusted. */
export function linksOf(doc: Y.Doc): LinkPostKey[] {
  const out: LinkPostKey[] = [];
  doc.getMap<unknown>(LINKS).forEach((value, post) => {
    const { commit, key } = (value ?? {}) as Partial<Record<keyof LinkPostKey, unknown>>;
    if (!isObjectId(post) || !isObjectId(commit) || typeof key !== 'string') return;
    try {
      parseLinkFragment(key);
    } catch {
      return;
    }
    out.push({ post, commit, key });
  });
  return out;
}

/**
 * Secret mists a pseudonym made (PROTOCOL.md, Secret mists), kept for the same reason: `linkMists`, Y.Map of
 * mist id -> { commit, key } (the commit of its first version and the link's `#k=` fragment).
 */
export interface LinkMistKey {
  readonly mist: string;
  readonly commit: CommitId;
  readonly key: string;
}

const MIST_LINKS = 'linkMists';

/** Records a secret mist this device made (call inside a transaction). */
export function recordMistLink(doc: Y.Doc, link: LinkMistKey): void {
  const map = doc.getMap<unknown>(MIST_LINKS);
  if (!map.has(link.mist)) map.set(link.mist, { commit: link.commit, key: link.key });
}

/** Every well-formed entry, as linksOf. */
export function mistLinksOf(doc: Y.Doc): LinkMistKey[] {
  const out: LinkMistKey[] = [];
  doc.getMap<unknown>(MIST_LINKS).forEach((value, mist) => {
    const { commit, key } = (value ?? {}) as Partial<Record<keyof LinkMistKey, unknown>>;
    if (!/^[0-9a-f]{16}$/.test(mist) || !isObjectId(commit) || typeof key !== 'string') return;
    try {
      parseLinkFragment(key);
    } catch {
      return;
    }
    out.push({ mist, commit, key });
  });
  return out;
}
