/**
 * A secret mist's link (PROTOCOL.md, Secret mists): `HUB/#/mist/COMMIT?hub=HUB&k=KEY`, everything after `#` a
 * fragment, so no server ever sees the key. Opening one fetches the commit and checks its hash and signature,
 * then the sealed version it names (by hash), opens it with the key, and the file likewise; the key is never
 * sent anywhere. The versions its author published since open with the same key once the feed is held
 * (read/mists.ts mistsOf), which the caller tries first.
 */
import { linkContentKey, parseLinkFragment } from './audience.ts';
import { decodeCommit, verifyCommit } from './commits.ts';
import { ProtocolError } from './errors.ts';
import { type CommitId, hashBytes, isObjectId } from './ids.ts';
import type { Verify } from './keys.ts';
import { type MistObject, openSecretMist } from './mists.ts';

/** Where a secret mist's first version is, and its key. */
export interface MistLink {
  readonly hub: string;
  readonly commit: CommitId;
  /** `#k=` and the link secret. */
  readonly key: string;
}

/** The link of a secret mist published by `commit` on `hub` (an origin). */
export function mistLinkOf(hub: string, commit: string, key: string): string {
  const params = new URLSearchParams({ hub, k: key.replace(/^#k=/, '') });
  return `${hub}/#/mist/${commit}?${params}`;
}

/** Whether `ref` is a link rather than an id. */
export function isMistLink(ref: string): boolean {
  return /^https?:\/\//.test(ref);
}

/** @throws ProtocolError MalformedLink (not a mist link, or no key in it), MalformedId (no commit) */
export function parseMistLink(ref: string): MistLink {
  let url: URL;
  try {
    url = new URL(ref);
  } catch {
    throw new ProtocolError('MalformedLink', 'this is not a link');
  }
  const match = /^#\/mist\/([^?]*)\?(.*)$/.exec(url.hash);
  if (!match) throw new ProtocolError('MalformedLink', 'this is not a mist’s link (…/#/mist/COMMIT?hub=…&k=…)');
  const params = new URLSearchParams(match[2]);
  const key = `#k=${params.get('k') ?? ''}`;
  parseLinkFragment(key);
  if (!isObjectId(match[1])) throw new ProtocolError('MalformedId', 'the link does not name a commit');
  return { hub: params.get('hub') ?? url.origin, commit: match[1], key };
}

/** What a link opens: the version its commit published, by whom, and the key for its file and later versions. */
export interface OpenedMistLink {
  readonly version: MistObject;
  readonly object: string;
  readonly commit: CommitId;
  readonly ts: number;
  readonly contentKey: Uint8Array;
}

/**
 * @throws ProtocolError HashMismatch, BadSignature, NotFound (no secret mist in that commit opens with the key),
 *   and as the hub's getBlob
 */
export async function openMistLink(
  getBlob: (id: string) => Promise<Uint8Array>,
  verify: Verify,
  link: MistLink,
): Promise<OpenedMistLink> {
  const contentKey = linkContentKey(parseLinkFragment(link.key));
  const signed = decodeCommit(await getBlob(link.commit), link.commit);
  if (!(await verifyCommit(signed, verify)))
    throw new ProtocolError('BadSignature', `commit ${link.commit} is not signed by its author`);
  for (const op of signed.commit.ops) {
    if (op.type !== 'mist' || op.audience !== 'link') continue;
    const sealed = await getBlob(op.object);
    if (hashBytes(sealed) !== op.object)
      throw new ProtocolError('HashMismatch', `the hub's bytes do not hash to ${op.object}`);
    let version: MistObject;
    try {
      version = openSecretMist(sealed, contentKey, signed.commit.author);
    } catch {
      continue; // another secret mist of the same commit
    }
    return { version, object: op.object, commit: link.commit, ts: signed.commit.ts, contentKey };
  }
  throw new ProtocolError('NotFound', 'that commit publishes no secret mist this link opens');
}
