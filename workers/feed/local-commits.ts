/**
 * Local commits: what a person does (post, follow) and what sync needs (a
 * merge), each built on the feed's current tips, signed in the worker, and
 * stored at once in one transaction with its outbox row. Commits of one
 * pseudonym are made one at a time, and the write refuses tips that moved
 * meanwhile (then the commit is built again), so no two local commits ever
 * share the same parents by accident and none is lost.
 */
import { type SignedCommit, buildCommit } from '../../src/protocol/commits.ts';
import type { ObjectId, PseudonymId } from '../../src/protocol/ids.ts';
import type { SecretKey } from '../../src/protocol/keys.ts';
import { LIMITS } from '../../src/protocol/limits.ts';
import type { BuiltObject, PostObject } from '../../src/protocol/objects.ts';
import type { Op } from '../../src/protocol/ops.ts';
import type { SealedMark } from '../store/apply-plan.ts';
import type { FeedStore } from '../store/core-store.ts';
import type { CoreDb } from '../store/db.ts';
import { IdbCoreStore } from '../store/idb-core-store.ts';
import { CoreError } from '../errors.ts';
import type { AgentSigning, KeySource } from '../keys/key-source.ts';
import { ProtocolError } from '../../src/protocol/errors.ts';
import { keyringSource } from '../keys/keyring.ts';
import type { KeyedLock } from '../../src/runtime/keyed-lock.ts';

export interface LocalDeps {
  readonly db: CoreDb;
  readonly now: () => number;
  readonly locks: KeyedLock;
}

/** What making an own commit needs, with storage and keys as parameters (a Node client passes its own). */
export interface OwnCommitDeps {
  readonly store: FeedStore;
  readonly keys: KeySource;
  readonly now: () => number;
  /** Shared with every other commit path of this device: commits of one pseudonym are made one at a time. */
  readonly locks: KeyedLock;
}

/** The worker's own-commit dependencies: its IndexedDB store and keyring. */
export function ownCommitDeps(deps: LocalDeps): OwnCommitDeps {
  return { store: new IdbCoreStore(deps.db), keys: keyringSource(deps.db), now: deps.now, locks: deps.locks };
}

export interface Content {
  readonly ops: readonly Op[];
  /** The post objects the ops publish. */
  readonly posts: readonly BuiltObject<PostObject>[];
  /** Other new blobs the ops name (edit versions, media, an avatar, sealed posts), stored with the commit. */
  readonly blobs?: readonly { readonly id: ObjectId; readonly bytes: Uint8Array }[];
  /** The sealed posts among `posts` (audience-content.ts): their bytes are opened, so they are no blobs. */
  readonly sealed?: readonly SealedMark[];
  /** Blobs among `blobs` no op names that a push must carry (a secret mist's sealed file). */
  readonly carried?: readonly ObjectId[];
}

const ATTEMPTS = 5;

/**
 * Builds `content` into a commit on top of the feed's tips and stores it, queued.
 * @throws ProtocolError NotFound (unknown pseudonym), or as buildCommit.
 */
export function commitLocal(
  deps: LocalDeps,
  pseudonym: PseudonymId,
  make: (ctx: { secretKey: SecretKey; ts: number }) => Content | Promise<Content>,
): Promise<SignedCommit> {
  return commitOwn(ownCommitDeps(deps), pseudonym, make);
}

/**
 * commitLocal over any store and keys.
 * On a device acting as an agent (KeySource findAgent) the agent's key signs it, under the owner's delegation.
 * @throws ProtocolError NotFound (unknown pseudonym), OutOfScope and DelegationExpired (an agent), or as buildCommit.
 */
export function commitOwn(
  deps: OwnCommitDeps,
  pseudonym: PseudonymId,
  make: (ctx: { secretKey: SecretKey; ts: number }) => Content | Promise<Content>,
): Promise<SignedCommit> {
  const { store, keys } = deps;
  return deps.locks.run(`commit:${pseudonym}`, async () => {
    for (let attempt = 1; ; attempt++) {
      const secretKey = await keys.getSecretKey(pseudonym);
      const tips = (await store.findTips(pseudonym))?.heads ?? [];
      // More tips than a commit may name: merge the first ones now, the rest next time.
      const parents = tips.slice(0, LIMITS.parentsPerCommit);
      const seqs = await store.findCommitSeqs(pseudonym, parents);
      const seq = parents.length === 0 ? 1 : 1 + Math.max(...parents.map((p) => seqs.get(p) ?? 0));
      const ts = deps.now();
      const content = await make({ secretKey, ts });
      const agent = await keys.findAgent?.(pseudonym);
      if (agent) checkAgentMay(agent, content.ops, ts);
      const signed = buildCommit(secretKey, {
        parents,
        seq,
        ts,
        ops: content.ops,
        ...(agent && { agent: { id: agent.id, model: agent.model, delegation: agent.delegation } }),
      });
      try {
        // An opened sealed post is not its blob: only the sealed bytes (in content.blobs) may ever be sent.
        const opened = new Set(content.sealed?.map((m) => m.id));
        const blobs = [
          ...content.posts.filter((p) => !opened.has(p.id)).map(({ id, bytes }) => ({ id, bytes })),
          ...(content.blobs ?? []),
        ];
        await store.applyBatch({
          kind: 'own',
          items: [
            {
              signed,
              blobs,
              posts: content.posts,
              ...(content.sealed && { sealed: content.sealed }),
              ...(content.carried && { carried: content.carried }),
            },
          ],
          expectTips: { author: pseudonym, heads: tips },
          outbox: { pseudonym, queuedAt: ts },
        });
        return signed;
      } catch (error) {
        if (!(error instanceof CoreError && error.name === 'Conflict') || attempt >= ATTEMPTS) throw error;
      }
    }
  });
}

/**
 * What every reader would refuse of an agent's commit, refused before it is made (a merge, with no ops, is
 * always allowed).
 * @throws ProtocolError OutOfScope, DelegationExpired
 */
function checkAgentMay(agent: AgentSigning, ops: readonly Op[], ts: number): void {
  const outside = ops.find((op) => !agent.delegation.scope.includes(op.type));
  if (outside) {
    const allowed = agent.delegation.scope.join(', ');
    throw new ProtocolError('OutOfScope', `this agent may publish ${allowed} ops, not ${outside.type}`);
  }
  if (ts > agent.delegation.expires)
    throw new ProtocolError(
      'DelegationExpired',
      `this agent's delegation expired ${new Date(agent.delegation.expires).toISOString()}`,
    );
}

export function commitFollow(
  deps: LocalDeps,
  pseudonym: PseudonymId,
  follow: { target: PseudonymId; handle: string; hubs: readonly string[] },
): Promise<SignedCommit> {
  return commitLocal(deps, pseudonym, () => ({
    ops: [{ type: 'follow', target: follow.target, handle: follow.handle, hubs: [...follow.hubs] }],
    posts: [],
  }));
}

/**
 * A commit whose parents are all the feed's tips, so one head covers them.
 * It carries no ops: the protocol allows an empty commit only as a merge of
 * two or more parents, which is exactly this.
 */
export function commitMerge(deps: OwnCommitDeps, pseudonym: PseudonymId): Promise<SignedCommit> {
  return commitOwn(deps, pseudonym, () => ({ ops: [], posts: [] }));
}
