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
import { isMistId } from '../../src/protocol/mists.ts';

export interface LinkPostKey {
  readonly post: ObjectId;
  readonly commit: CommitId;
  /** `#k=` and the link secret (audience.ts linkFragment). */
  readonly key: string;
}

const LINKS = 'linkPosts';

/** Records a link post this device made (call inside a transaction). */
export function recordLink(doc: Y.Doc, link: LinkPostKey): void {
  record(doc, LINKS, link.post, link);
}

/** Every well-formed entry; anything else (another version's, a damaged one) is left out, not trusted. */
export function linksOf(doc: Y.Doc): LinkPostKey[] {
  return entriesOf(doc, LINKS, isObjectId).map(({ id, commit, key }) => ({ post: id as ObjectId, commit, key }));
}

/** Writes `id -> { commit, key }` into map `name` once (an entry is never changed). */
function record(doc: Y.Doc, name: string, id: string, link: { commit: CommitId; key: string }): void {
  const map = doc.getMap<unknown>(name);
  if (!map.has(id)) map.set(id, { commit: link.commit, key: link.key });
}

/** The well-formed `id -> { commit, key }` entries of map `name`: the id as `isId` says, a commit id, a link key. */
function entriesOf(doc: Y.Doc, name: string, isId: (id: string) => boolean) {
  const out: { id: string; commit: CommitId; key: string }[] = [];
  doc.getMap<unknown>(name).forEach((value, id) => {
    const { commit, key } = (value ?? {}) as { commit?: unknown; key?: unknown };
    if (!isId(id) || !isObjectId(commit) || typeof key !== 'string') return;
    try {
      parseLinkFragment(key);
    } catch {
      return;
    }
    out.push({ id, commit, key });
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
  record(doc, MIST_LINKS, link.mist, link);
}

/** Every well-formed entry, as linksOf. */
export function mistLinksOf(doc: Y.Doc): LinkMistKey[] {
  return entriesOf(doc, MIST_LINKS, isMistId).map(({ id, commit, key }) => ({ mist: id, commit, key }));
}
