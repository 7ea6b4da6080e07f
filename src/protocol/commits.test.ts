import { describe, expect, test } from 'vitest';
import { fromHex } from './bytes.ts';
import { buildCommit, checkCommitInContext, objectIdsOf } from './commits.ts';
import { ProtocolError } from './errors.ts';
import type { CommitId, ObjectId } from './ids.ts';
import { LIMITS } from './limits.ts';

const key = fromHex('01'.repeat(32));
const object = 'ab'.repeat(32) as ObjectId;
const parent = 'cd'.repeat(32) as CommitId;
const NOW = 1_767_225_600_000;

function nameOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ProtocolError);
    return (error as ProtocolError).name;
  }
  return undefined;
}

describe('a commit in the context of what the reader holds', () => {
  const child = buildCommit(key, { parents: [parent], seq: 4, ts: NOW, ops: [{ type: 'post', object }] });

  test('passes when its seq is 1 + the greatest parent seq', () => {
    expect(nameOf(() => checkCommitInContext(child.commit, [3], NOW))).toBeUndefined();
  });

  test('reports missing parents by id so the caller can queue and fetch them', () => {
    try {
      checkCommitInContext(child.commit, [undefined], NOW);
      expect.unreachable();
    } catch (error) {
      expect((error as ProtocolError).name).toBe('MissingParents');
      expect((error as ProtocolError).context.missing).toEqual([parent]);
    }
  });

  test('refuses a seq that does not follow its parents', () => {
    expect(nameOf(() => checkCommitInContext(child.commit, [5], NOW))).toBe('BadSeq');
  });

  test('refuses a commit dated more than 10 minutes ahead, and allows clock drift within that', () => {
    expect(nameOf(() => checkCommitInContext(child.commit, [3], NOW - LIMITS.futureSkewMs - 1))).toBe(
      'FutureTimestamp',
    );
    expect(nameOf(() => checkCommitInContext(child.commit, [3], NOW - LIMITS.futureSkewMs))).toBeUndefined();
  });
});

describe('building commits', () => {
  test('sorts and dedupes parents, so the same DAG gives the same bytes', () => {
    const other = 'ef'.repeat(32) as CommitId;
    const a = buildCommit(key, { parents: [other, parent, other], seq: 2, ts: NOW, ops: [{ type: 'post', object }] });
    const b = buildCommit(key, { parents: [parent, other], seq: 2, ts: NOW, ops: [{ type: 'post', object }] });
    expect(a.commit.parents).toEqual([parent, other]);
    expect(a.id).toBe(b.id);
  });

  test('allows a commit without ops only as a merge of two or more parents', () => {
    const other = 'ef'.repeat(32) as CommitId;
    expect(buildCommit(key, { parents: [parent, other], seq: 5, ts: NOW, ops: [] }).commit.ops).toEqual([]);
    expect(nameOf(() => buildCommit(key, { parents: [parent], seq: 5, ts: NOW, ops: [] }))).toBe('InvalidField');
  });

  test('refuses to build what it would refuse to read', () => {
    expect(nameOf(() => buildCommit(key, { parents: [], seq: 1, ts: NOW, ops: [] }))).toBe('InvalidField');
    expect(
      nameOf(() => buildCommit(key, { parents: [], seq: 1, ts: NOW, ops: Array(65).fill({ type: 'post', object }) })),
    ).toBe('TooManyOps');
    const huge = Array.from({ length: 64 }, () => ({ type: 'profile' as const, bio: 'x'.repeat(1024) }));
    expect(nameOf(() => buildCommit(key, { parents: [], seq: 1, ts: NOW, ops: huge }))).toBe('TooLarge');
  });

  test('lists the blobs a reader must fetch: post objects, edit versions, reposted commits', () => {
    const commit = 'aa'.repeat(32) as CommitId;
    const built = buildCommit(key, {
      parents: [],
      seq: 1,
      ts: NOW,
      ops: [
        { type: 'post', object },
        { type: 'repost', object, commit },
        { type: 'react', target: object, emoji: '🎉' },
      ],
    });
    expect(objectIdsOf(built.commit).sort()).toEqual([commit, object].sort());
  });
});

describe('verifying a batch', () => {
  test('returns each commit or its named refusal, never throwing for bad input', async () => {
    const { verifyCommits } = await import('./commits.ts');
    const { nobleVerify } = await import('./keys.ts');
    const good = buildCommit(key, { parents: [], seq: 1, ts: NOW, ops: [{ type: 'post', object }] });
    const forged = buildCommit(fromHex('02'.repeat(32)), {
      parents: [],
      seq: 1,
      ts: NOW,
      ops: [{ type: 'post', object }],
    });
    const forgedBytes = new TextEncoder().encode(
      new TextDecoder().decode(forged.bytes).replace(forged.commit.author, good.commit.author),
    );
    const results = await verifyCommits(
      [
        { id: good.id, bytes: good.bytes },
        { id: parent, bytes: good.bytes },
        { id: forged.id, bytes: forgedBytes },
        { id: object, bytes: new Uint8Array([1, 2, 3]) },
      ],
      nobleVerify,
    );
    expect(results.map((r) => (r.ok ? 'ok' : r.error.name))).toEqual([
      'ok',
      'HashMismatch',
      'HashMismatch',
      'HashMismatch',
    ]);
    const { hashBytes } = await import('./ids.ts');
    const [forgedResult] = await verifyCommits([{ id: hashBytes(forgedBytes), bytes: forgedBytes }], nobleVerify);
    expect(forgedResult!.ok ? 'ok' : forgedResult!.error.name).toBe('BadSignature');
  });
});
