/**
 * The rows of commit packs (db.ts's schema names their stores; commit-packs.ts
 * writes and reads them): a feed's ingested commits kept together, because a
 * row per commit costs a browser more than its bytes.
 */
import type { CommitId, ObjectId, PseudonymId } from '../../src/protocol/ids.ts';

/** A commit pack's key: [author, least seq, first commit's id] (commit-packs.ts). */
export type PackKey = [PseudonymId, number, CommitId];

/** A commit pack's index (v6): which commits it holds, in the order their bytes lie in its bytes row. */
export interface PackRow {
  readonly a: PseudonymId;
  readonly lo: number;
  readonly first: CommitId;
  readonly ids: readonly CommitId[];
  readonly seqs: readonly number[];
  /** By place in the pack: the media a commit's posts name (as CommitRow.media), only where there are any. */
  readonly media?: Readonly<Record<number, readonly ObjectId[]>>;
  /** By place in the pack: the post a commit published that has no post row yet (lazy-posts.ts), with its ts. */
  readonly lazy?: Readonly<Record<number, readonly [ObjectId, number]>>;
}

/** A commit pack's signed commits, back to back; ends[i] is where the i-th ends. */
export interface PackBytesRow {
  readonly a: PseudonymId;
  readonly lo: number;
  readonly first: CommitId;
  readonly bytes: Uint8Array;
  readonly ends: Uint32Array;
  /** By place in the pack: the canonical text of each post in PackRow.lazy (its bytes are utf8(text)). */
  readonly texts?: Readonly<Record<number, string>>;
}
