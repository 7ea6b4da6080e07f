/** commitsToList(): which queued commits a push lists in the feed log, and in which order, for any queue. */
import fc from 'fast-check';
import { expect, test } from 'vitest';
import type { CommitId } from '../../src/protocol/ids.ts';
import { type QueuedCommit, commitsToList } from './own-log-plan.ts';

const id = (n: number) => n.toString(16).padStart(64, '0') as CommitId;

test('unlisted commits, oldest first by seq then id; listed and acknowledged ones left out', () => {
  const rows: (QueuedCommit | undefined)[] = [
    { commitId: id(5), seq: 3 },
    { commitId: id(2), seq: 1, logged: true },
    undefined,
    { commitId: id(9), seq: 2 },
    { commitId: id(4), seq: 3 },
  ];
  expect(commitsToList(rows).map((r) => r.commitId)).toEqual([id(9), id(4), id(5)]);
  expect(commitsToList([])).toEqual([]);
});

const row = fc.record(
  {
    commitId: fc.integer({ min: 1, max: 40 }).map(id),
    seq: fc.integer({ min: 1, max: 10 }),
    logged: fc.constant(true as const),
  },
  { requiredKeys: ['commitId', 'seq'] },
);

test('for any queue: each unlisted commit once, none listed, in (seq, id) order, the input unchanged', () => {
  fc.assert(
    fc.property(fc.array(fc.option(row, { nil: undefined }), { maxLength: 30 }), (rows) => {
      const before = structuredClone(rows);
      const listed = commitsToList(rows);
      expect(rows).toEqual(before);
      const ids = listed.map((r) => r.commitId);
      expect(new Set(ids).size).toBe(ids.length);
      expect(listed.every((r) => !r.logged)).toBe(true);
      const wanted = new Set(rows.filter((r) => r && !r.logged).map((r) => r!.commitId));
      expect(new Set(ids)).toEqual(wanted);
      for (let i = 1; i < listed.length; i++) {
        const [a, b] = [listed[i - 1]!, listed[i]!];
        expect(a.seq < b.seq || (a.seq === b.seq && a.commitId < b.commitId)).toBe(true);
      }
    }),
    { numRuns: 1000 },
  );
});
