/**
 * Commits and posts as they were decoded when this process stored them, for
 * the reads that follow in the same command. A first `timeline` fetches,
 * verifies and stores every commit and post of the feeds it follows, then
 * reads them all back to derive each feed's state: decoding (and hashing)
 * each one a second time cost about a tenth of that run. Ids are the sha256
 * of the bytes they name, and an entry is kept only from a commit the ingest
 * verified (its hash checked against its id, its posts' too) or one built
 * here, so the entry for an id is what decoding the held bytes of that id
 * gives. Nothing is kept between processes.
 */
import type { Commit } from '../../protocol/commits.ts';
import type { CommitId, ObjectId } from '../../protocol/ids.ts';
import type { PostObject } from '../../protocol/objects.ts';
import type { VerifiedCommit } from '../../../workers/store/apply-plan.ts';
import { type Decoded, decodeAnew } from '../../../workers/read/held-feed.ts';

/** The commits and posts of the batches this process stored. */
export class DecodedCache implements Decoded {
  readonly #commits = new Map<CommitId, Commit>();
  readonly #posts = new Map<ObjectId, PostObject>();

  /** Keeps the decoded forms of `items` (verified, or built here). */
  keep(items: readonly VerifiedCommit[]): void {
    for (const item of items) {
      this.#commits.set(item.signed.id, item.signed.commit);
      for (const post of item.posts) this.#posts.set(post.id, post.value);
      for (const { post } of item.reposted ?? []) this.#posts.set(post.id, post.value);
    }
  }

  commit(id: CommitId, bytes: Uint8Array): Commit {
    return this.#commits.get(id) ?? decodeAnew.commit(id, bytes);
  }

  post(id: ObjectId, bytes: Uint8Array): PostObject {
    return this.#posts.get(id) ?? decodeAnew.post(id, bytes);
  }
}
