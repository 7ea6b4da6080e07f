/**
 * Reads a hub as an independent client would (the one hub client over plain
 * fetch, and the protocol code, not the worker's sync): an author's head and
 * every commit and post its DAG holds, each verified. For asserting what
 * really reached a hub.
 */
import { encodeCanonical } from '../../src/protocol/canonical.ts';
import { decodeCommit, verifyCommit } from '../../src/protocol/commits.ts';
import { type Head, decodeHead, verifyHead } from '../../src/protocol/heads.ts';
import { type CommitId, type ObjectId, type PseudonymId, parseObjectId } from '../../src/protocol/ids.ts';
import { nobleVerify } from '../../src/protocol/keys.ts';
import { decodePost } from '../../src/protocol/objects.ts';
import { createHubClient } from '../../src/hub-client/client.ts';

export async function headOnHub(hubUrl: string, author: PseudonymId): Promise<Head | undefined> {
  const json = (await createHubClient(hubUrl, fetch).getHeads([author]))[author];
  if (!json) return undefined;
  const signed = decodeHead(encodeCanonical(json));
  if (!(await verifyHead(signed, nobleVerify))) throw new Error('head signature fails');
  return signed.head;
}

export interface FeedOnHub {
  readonly head?: Head;
  readonly commits: readonly CommitId[];
  /** One entry per post op in the DAG (a post published twice would show twice). */
  readonly posts: readonly { id: ObjectId; body: string; commit: CommitId }[];
}

/** The whole DAG under the author's head on the hub; throws if anything is missing or fails to verify. */
export async function feedOnHub(hubUrl: string, author: PseudonymId): Promise<FeedOnHub> {
  const head = await headOnHub(hubUrl, author);
  if (!head) return { commits: [], posts: [] };
  const commits: CommitId[] = [];
  const posts: { id: ObjectId; body: string; commit: CommitId }[] = [];
  const queue: CommitId[] = [...head.heads];
  const seen = new Set<string>();
  while (queue.length > 0) {
    const id = queue.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    const signed = decodeCommit(await blobOnHub(hubUrl, id), id);
    if (!(await verifyCommit(signed, nobleVerify)) || signed.commit.author !== author)
      throw new Error(`commit ${id} fails`);
    commits.push(id);
    signed.commit.ops.forEach((op) => {
      if (op.type === 'post') posts.push({ id: op.object, body: '', commit: id });
    });
    queue.push(...signed.commit.parents);
  }
  for (const [i, p] of posts.entries())
    posts[i] = { ...p, body: decodePost(await blobOnHub(hubUrl, p.id), p.id).value.body };
  return { head, commits, posts };
}

/** @throws HubError NotFound when the hub does not hold it. */
export async function blobOnHub(hubUrl: string, id: string): Promise<Uint8Array> {
  return createHubClient(hubUrl, fetch).getBlob(parseObjectId(id));
}
