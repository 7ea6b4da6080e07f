/**
 * An in-process core for component tests: one pseudonym, its posts in memory,
 * drafts that are accepted and forgotten, a sync state that is always
 * 'synced', and change notices sent the way the worker sends them (after the
 * write, ids only). It implements the calls the home screen makes; any other
 * call answers with a rejected `NotInFake` error and is recorded in `missing`,
 * so a test can assert that the screen asked for nothing the fake lacks.
 */
import type {
  AudienceCandidate,
  FollowerView,
  Change,
  PostOptions,
  PseudonymSummary,
  Result,
  SyncStatus,
  TimelineItem,
  TimelinePage,
} from '../../../workers/api/api-types.ts';
import type { DraftInput, DraftView, PrivateSettings } from '../../../workers/private/types.ts';
import { type PseudonymId, hashBytes, parsePseudonymId } from '../../protocol/ids.ts';
import type { Core, CoreCalls } from '../core/core-context.ts';

type Listener = (change: Change) => void;

export interface FakeCore extends Core {
  readonly pseudonym: PseudonymSummary;
  /** Newest first, as listTimeline answers. */
  readonly posts: TimelineItem[];
  /** Names of the calls made that the fake does not implement. */
  readonly missing: string[];
  /** The options of each post call, in order (undefined for a plain post). */
  readonly postOptions: (PostOptions | undefined)[];
  /** Who listAudienceCandidates answers: people the pseudonym follows (a test adds them). */
  readonly candidates: AudienceCandidate[];
  /** Who listFollowers answers (a test adds them). */
  readonly followers: FollowerView[];
  /** Adds a post by someone the pseudonym follows (as an ingest does) and sends the notice. */
  receive(author: PseudonymId, body: string): TimelineItem;
  /** Makes every listTimeline call fail with an error of this name (as comlink rebuilds a thrown one), or heal. */
  failReads(name: string | undefined): void;
  /** Holds every listTimeline answer until the returned function is called (a busy worker). */
  holdReads(): () => void;
}

/** Named so that a test failing on it says where to look: this file, not the screen. */
export class NotInFake extends Error {
  override readonly name = 'NotInFake';
}

export function createFakeCore(options: { readonly name?: string; readonly now?: () => number } = {}): FakeCore {
  const now = options.now ?? Date.now;
  const pseudonym: PseudonymSummary = {
    id: parsePseudonymId('a1'.repeat(32)),
    name: options.name ?? 'Ada',
    handle: 'ada@hub.test',
    hubs: ['http://hub.test'],
    createdAt: now(),
  };
  const posts: TimelineItem[] = [];
  const missing: string[] = [];
  const postOptions: (PostOptions | undefined)[] = [];
  const candidates: AudienceCandidate[] = [];
  const followers: FollowerView[] = [];
  const listeners = new Set<Listener>();
  let readFailure: string | undefined;
  let held: Promise<void> | undefined;
  let count = 0;

  // After the write and off the caller's stack, as the worker's notices arrive.
  const notify = (change: Change) =>
    queueMicrotask(() => {
      for (const listener of listeners) listener(change);
    });

  const add = (author: PseudonymId, body: string): TimelineItem => {
    const id = hashBytes(new TextEncoder().encode(`${++count}:${body}`));
    const item: TimelineItem = { id, commitId: id, author, body, ts: now(), verified: true, queued: false };
    posts.unshift(item);
    notify({ kind: 'timeline', pseudonym: pseudonym.id });
    return item;
  };

  const implemented: Partial<CoreCalls> = {
    listTimeline: async (viewer: PseudonymId, page: TimelinePage) => {
      await held;
      if (readFailure) throw Object.assign(new Error(`listTimeline failed (${readFailure})`), { name: readFailure });
      return viewer === pseudonym.id ? pageOf(posts, page) : [];
    },
    post: async (author: PseudonymId, body: string, options?: PostOptions) => {
      postOptions.push(options);
      const item = add(author, body);
      return { ok: true, value: { id: item.id, commitId: item.commitId } };
    },
    listAudienceCandidates: async () => [...candidates],
    listFollowers: async () => [...followers],
    setFollowerApproved: async (_: PseudonymId, target: PseudonymId, approved: boolean) => {
      const at = followers.findIndex((f) => f.id === target);
      if (at >= 0) followers[at] = { ...followers[at]!, approved };
      notify({ kind: 'private', pseudonym: pseudonym.id });
      const none = { mutedUsers: [], mutedWords: [], mutedTags: [], blocked: [], privateFollows: [], lens: {} };
      const approvedFollowers = followers.filter((f) => f.approved).map((f) => ({ value: f.id, at: f.since }));
      const settings: PrivateSettings = {
        ...none,
        ...{ inboxMode: 'open', inboxAllow: [], approvedFollowers, listing: 'never', searchable: false },
      };
      return { ok: true, value: settings };
    },
    getSyncStatus: async (): Promise<SyncStatus> => ({ state: 'synced', queued: 0 }),
    startBackground: async () => undefined,
    findFeedFileProgress: async () => undefined,
    listDrafts: async (): Promise<DraftView[]> => [],
    saveDraft: async (_: PseudonymId, draft: DraftInput): Promise<Result<DraftView>> => ({
      ok: true,
      value: { id: draft.id, body: draft.body, updatedAt: now() },
    }),
    deleteDraft: async (): Promise<Result<null>> => ({ ok: true, value: null }),
  };

  // Every other name answers as a worker that lacks the method would: a rejected call.
  const calls = new Proxy(implemented, {
    get(target, name: string | symbol) {
      const own = Reflect.get(target, name);
      if (own !== undefined || typeof name === 'symbol') return own;
      return () => {
        missing.push(name);
        return Promise.reject(new NotInFake(`the fake core has no ${name}`));
      };
    },
  }) as CoreCalls;

  return {
    calls,
    onChange: async (listener: Listener) => {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    pseudonym,
    posts,
    missing,
    postOptions,
    candidates,
    followers,
    receive: add,
    failReads: (name) => {
      readFailure = name;
    },
    holdReads: () => {
      let release = () => {};
      held = new Promise<void>((resolve) => {
        release = () => {
          held = undefined;
          resolve();
        };
      });
      return release;
    },
  };
}

/** The page listTimeline answers: newest first, after the cursor, at most `limit`. */
function pageOf(posts: readonly TimelineItem[], page: TimelinePage): TimelineItem[] {
  const ordered = page.order === 'oldest' ? [...posts].reverse() : posts;
  const from = page.cursor ? ordered.findIndex((item) => item.id === page.cursor?.id) + 1 : 0;
  return ordered.slice(from, from + page.limit);
}
