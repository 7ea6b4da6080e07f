/**
 * Reads a hub from the test process, as an independent client would: resolve
 * a handle, then walk an author's DAG from its head, verifying every commit and
 * post with the protocol code. Used to check what really reached a hub.
 */
import { type Commit, decodeCommit, verifyCommit } from '../src/protocol/commits.ts';
import { decodeHead, verifyHead } from '../src/protocol/heads.ts';
import type { CommitId, PseudonymId } from '../src/protocol/ids.ts';
import { encodeCanonical } from '../src/protocol/canonical.ts';
import { nobleVerify } from '../src/protocol/keys.ts';
import { decodePost } from '../src/protocol/objects.ts';
import { WEBFINGER_PSEUDONYM } from '../src/protocol/routes.ts';

export async function resolveHandle(hubUrl: string, handle: string): Promise<PseudonymId> {
  const res = await fetch(`${hubUrl}/.well-known/webfinger?resource=${encodeURIComponent(`acct:${handle}`)}`);
  if (!res.ok) throw new Error(`webfinger ${handle}: ${res.status} ${await res.text()}`);
  const jrd = (await res.json()) as { properties: Record<string, string> };
  return jrd.properties[WEBFINGER_PSEUDONYM] as PseudonymId;
}

export interface HubPost {
  readonly body: string;
  readonly commit: CommitId;
}

/**
 * Every public post in `author`'s feed as `hubUrl` holds it (a sealed one is ciphertext there, for its readers);
 * throws if anything fails to verify.
 */
export async function postsOnHub(hubUrl: string, author: PseudonymId): Promise<HubPost[]> {
  const posts: HubPost[] = [];
  for (const { id, commit } of await commitsOnHub(hubUrl, author)) {
    for (const op of commit.ops) {
      if (op.type !== 'post' || op.audience !== undefined) continue;
      const post = decodePost(await blob(hubUrl, op.object), op.object);
      posts.push({ body: post.value.body, commit: id });
    }
  }
  return posts;
}

/** Every commit of `author`'s feed that `hubUrl` holds, walked from its head; throws if one fails to verify. */
export async function commitsOnHub(
  hubUrl: string,
  author: PseudonymId,
): Promise<{ readonly id: CommitId; readonly commit: Commit }[]> {
  const answer = (await (await fetch(`${hubUrl}/v1/heads?authors=${author}`)).json()) as {
    heads: Record<string, unknown>;
  };
  const json = answer.heads[author];
  if (!json) return [];
  const head = decodeHead(encodeCanonical(json));
  if (!(await verifyHead(head, nobleVerify))) throw new Error('head signature fails');
  const commits: { id: CommitId; commit: Commit }[] = [];
  const seen = new Set<string>();
  const queue: CommitId[] = [...head.head.heads];
  while (queue.length > 0) {
    const id = queue.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    const signed = decodeCommit(await blob(hubUrl, id), id);
    if (!(await verifyCommit(signed, nobleVerify)) || signed.commit.author !== author)
      throw new Error(`commit ${id} fails`);
    commits.push({ id, commit: signed.commit });
    queue.push(...signed.commit.parents);
  }
  return commits;
}

async function blob(hubUrl: string, id: string): Promise<Uint8Array> {
  const res = await fetch(`${hubUrl}/v1/blobs/${id}`);
  if (!res.ok) throw new Error(`blob ${id}: ${res.status}`);
  return new Uint8Array(await res.arrayBuffer());
}
