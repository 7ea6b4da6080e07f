/**
 * The embed page's one read: a mist from the hub that serves the page, verified here as the app verifies any
 * feed. The author's signed head, then their whole feed walked from it (workers/feed/dag-walk.ts: every
 * commit's hash, form, signature and author, and every mist object's), its state by the merge model, the mist's
 * newest public version, and its file checked against that version. Nothing is stored: no IndexedDB, no
 * worker, no keys. A secret mist's versions are sealed, so no public version has its id and it is not shown.
 */
import { type BlobSource, walkFeed } from '../../workers/feed/dag-walk.ts';
import { headSeqMismatch, segmentStep } from '../../workers/feed/catch-up-plan.ts';
import { verifiedHead } from '../../workers/feed/head-check.ts';
import { type Fetch, createHubClient } from '../hub-client/client.ts';
import { ProtocolError } from '../protocol/errors.ts';
import { decodeFeedLog } from '../protocol/feed-log.ts';
import { feedState } from '../protocol/feed-state.ts';
import type { CommitId, ObjectId, PseudonymId } from '../protocol/ids.ts';
import type { Verify } from '../protocol/keys.ts';
import { mistVersionsOf } from '../protocol/mist-versions.ts';
import { type MistId, type MistObject, checkMistFile } from '../protocol/mists.ts';

export type LoadedMist =
  | {
      readonly kind: 'shown';
      /** The newest version, by the merge model's stamp. */
      readonly mist: MistObject;
      readonly versions: number;
      /** Its file, checked against it (checkMistFile). */
      readonly file: Uint8Array;
      /** The name the author's newest signed profile gives, if any. */
      readonly authorName?: string;
    }
  /** An unmist of the author's names it: every version stops showing. */
  | { readonly kind: 'deleted' }
  /** No public version has this id on this hub: never published here, or secret (sealed under its link's key). */
  | { readonly kind: 'absent' };

export interface LoadDeps {
  readonly fetch: Fetch;
  /** The hub that served the page: the page reads only its own origin (its CSP says connect-src 'self'). */
  readonly origin: string;
  readonly verify: Verify;
  readonly now: () => number;
}

/** Nothing is held: the walk fetches and checks the whole feed. */
const NOTHING_HELD = { commitSeqs: async () => new Map(), blobs: async () => new Map() };

/**
 * The commits the feed log lists, a segment at a time, newest first: a hint that lets the walk fetch a long
 * feed in a few batches rather than a round trip per commit (PROTOCOL.md, Feed logs). A segment that cannot be
 * fetched or decoded ends the hints; the walk follows parents for the rest. Past MAX_SEGMENTS the reading goes on
 * while the segments list fewer ids than `expected` (the head's seq: nothing is held, so every commit is new).
 * (workers/feed/ingest.ts reads the log the same way against a store; here every listed commit is missing.)
 */
async function* logHints(
  source: BlobSource,
  author: PseudonymId,
  newest: ObjectId,
  expected: number,
): AsyncGenerator<CommitId[]> {
  let next: ObjectId | undefined = newest;
  let listed = 0;
  for (let index = 0; next; index++) {
    const id: ObjectId = next;
    const entry = (await source([id])).find((e) => e.id === id);
    if (!entry) return;
    let step: ReturnType<typeof segmentStep>;
    try {
      step = segmentStep(decodeFeedLog(entry.bytes, id).value, author, new Set(), index, listed, expected);
    } catch {
      return; // a log that does not decode is a wrong hint, nothing more: every commit is still verified
    }
    if (!step.missing) return;
    listed += step.missing.length;
    yield [...step.missing];
    next = step.next;
  }
}

/**
 * `author`'s mist `id` as their feed on this hub shows it, every byte verified.
 * @throws ProtocolError (BadSignature, HashMismatch, WrongAuthor, BadSeq, NotFound, decode errors) when the hub's
 *   answers do not verify; HubError (Offline, HubUnavailable, ...) when it cannot be read
 */
export async function loadMist(deps: LoadDeps, author: PseudonymId, id: MistId): Promise<LoadedMist> {
  // The page has no cookies to send; omitting credentials says so to anyone reading its requests.
  const hub = createHubClient(deps.origin, (input, init) => deps.fetch(input, { ...init, credentials: 'omit' }));
  const json = (await hub.getHeads([author]))[author];
  if (!json) return { kind: 'absent' };
  const { head } = await verifiedHead(json, author, deps.verify);
  const source: BlobSource = (ids) => hub.batchBlobs(ids);
  const walk = await walkFeed(source, NOTHING_HELD, {
    author,
    tips: head.heads,
    ...(head.log && { hints: logHints(source, author, head.log, head.seq) }),
    verify: deps.verify,
    now: deps.now(),
  });
  const tipSeq = headSeqMismatch(head.seq, walk.tipSeqs, walk.waiting.length);
  if (tipSeq !== undefined)
    throw new ProtocolError('BadSeq', `the head of ${author} says seq ${head.seq}; its tips make it ${tipSeq}`);
  const state = feedState(walk.commits.map((c) => ({ id: c.signed.id, commit: c.signed.commit })));
  const objects = new Map(walk.commits.flatMap((c) => c.blobs.map((b) => [b.id, b.bytes] as const)));
  const found = mistVersionsOf(author, state, objects).get(id);
  if (!found) return { kind: state.unmisted.has(id) ? 'deleted' : 'absent' };
  const mist = found.versions.at(-1)!.value;
  const file = checkMistFile(mist, await hub.getBlob(mist.content));
  const name = state.profile.get('name')?.value;
  return {
    kind: 'shown',
    mist,
    versions: found.versions.length,
    file,
    ...(typeof name === 'string' && name.trim() !== '' && { authorName: name }),
  };
}
