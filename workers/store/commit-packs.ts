/**
 * Commit packs: the commits ingest stores for a feed, up to PACK_SIZE to a
 * pair of rows, instead of a row each. IndexedDB's cost is per request and
 * per index entry, not per byte (STORAGE.md): 10,000 commit rows take seconds
 * to write, 40 packs a fraction of one.
 *
 * A pack is two rows under one key [author, least seq, first id]: its index
 * (ids, seqs, media) in `packs`, read whenever a commit's presence or seq is
 * asked; its bytes (the signed commits back to back, and where each ends) in
 * `packBytes`, read only when bytes are. Own commits made on this device stay
 * commit rows (the outbox names each one); everything else, own commits made
 * on another device included, comes through ingest and lands here. Readers
 * look in both (commit-store.ts).
 *
 * A feed's newest pack takes new commits until it is full, so live arrivals
 * one at a time do not make a pack each.
 */
import type { IDBPObjectStore, StoreNames } from 'idb';
import type { CommitId, ObjectId, PseudonymId } from '../../src/protocol/ids.ts';
import type { CommitRow, CoreSchema, PackBytesRow, PackKey, PackRow } from './db.ts';

export const PACK_SIZE = 256;

type Store<N extends 'packs' | 'packBytes', M extends IDBTransactionMode> = IDBPObjectStore<
  CoreSchema,
  StoreNames<CoreSchema>[],
  N,
  M
>;

/** Every pack key of `author`. */
export function packRange(author: PseudonymId): IDBKeyRange {
  return IDBKeyRange.bound([author], [author, []]);
}

export function packKeyOf(row: PackRow | PackBytesRow): PackKey {
  return [row.a, row.lo, row.first];
}

/** What finding packed commits reads: the pack index rows of a feed. */
export interface PackReads {
  getAll(range: IDBKeyRange): Promise<PackRow[]>;
}

/** Where each of `author`'s packed commits is: its pack's index row and its place in it. */
export interface PackedCommit {
  readonly seq: number;
  readonly pack: PackRow;
  readonly index: number;
}

/** The packed commits of `author` among `ids` (ids not packed are left out). */
export async function findPacked(
  packs: PackReads,
  author: PseudonymId,
  ids: readonly CommitId[],
): Promise<Map<CommitId, PackedCommit>> {
  const found = new Map<CommitId, PackedCommit>();
  if (ids.length === 0) return found;
  const wanted = new Set(ids);
  for (const pack of await packs.getAll(packRange(author))) {
    pack.ids.forEach((id, index) => {
      if (wanted.has(id)) found.set(id, { seq: pack.seqs[index]!, pack, index });
    });
  }
  return found;
}

/** The signed bytes of packed commits, read from their packs' bytes rows. */
export async function packedBytes(
  packBytes: { get(key: PackKey): Promise<PackBytesRow | undefined> },
  packed: Iterable<[CommitId, PackedCommit]>,
): Promise<Map<CommitId, Uint8Array>> {
  const entries = [...packed];
  const rows = new Map<string, Promise<PackBytesRow | undefined>>();
  for (const [, { pack }] of entries) {
    const key = packKeyOf(pack);
    if (!rows.has(key.join())) rows.set(key.join(), packBytes.get(key));
  }
  const bytes = new Map<CommitId, Uint8Array>();
  for (const [id, { pack, index }] of entries) {
    const row = await rows.get(packKeyOf(pack).join())!;
    if (!row) continue;
    // A copy: a view would keep (and, if stored, write) the whole pack.
    bytes.set(id, row.bytes.slice(index === 0 ? 0 : row.ends[index - 1]!, row.ends[index]!));
  }
  return bytes;
}

/** A commit to pack, and the post it published when that post gets no row yet (lazy-posts.ts). */
export type PackInput = CommitRow & {
  readonly lazy?: { readonly id: ObjectId; readonly ts: number; readonly text: string };
};

/** The media a packed commit's posts name, if any. */
export function packedMedia(pack: PackRow, index: number): readonly ObjectId[] {
  return pack.media?.[index] ?? [];
}

/**
 * Appends `rows` (one feed's new commits, in DAG order) to the feed's packs,
 * inside the caller's write transaction: first into its newest pack while it
 * has room (read, rewritten under its new key), then into new packs.
 */
export async function appendToPacks(
  packs: Store<'packs', 'readwrite'>,
  packBytes: Store<'packBytes', 'readwrite'>,
  author: PseudonymId,
  rows: readonly PackInput[],
): Promise<void> {
  if (rows.length === 0) return;
  const newest = await packs.openCursor(packRange(author), 'prev');
  let start = 0;
  if (newest && newest.value.ids.length < PACK_SIZE) {
    const old = newest.value;
    const oldBytes = await packBytes.get(packKeyOf(old));
    if (oldBytes) {
      start = Math.min(rows.length, PACK_SIZE - old.ids.length);
      const pack = packOf(author, [...unpack(old, oldBytes), ...rows.slice(0, start)]);
      await Promise.all([packs.delete(packKeyOf(old)), packBytes.delete(packKeyOf(old))]);
      await Promise.all([packs.put(pack.index), packBytes.put(pack.bytes)]);
    }
  }
  const puts: Promise<unknown>[] = [];
  for (let i = start; i < rows.length; i += PACK_SIZE) {
    const pack = packOf(author, rows.slice(i, i + PACK_SIZE));
    puts.push(packs.put(pack.index), packBytes.put(pack.bytes));
  }
  await Promise.all(puts);
}

/** The commits of a pack back as they were packed. */
function unpack(pack: PackRow, bytes: PackBytesRow): PackInput[] {
  return pack.ids.map((id, i) => {
    const media = pack.media?.[i];
    const lazy = pack.lazy?.[i];
    const text = bytes.texts?.[i];
    return {
      id,
      seq: pack.seqs[i]!,
      bytes: bytes.bytes.subarray(i === 0 ? 0 : bytes.ends[i - 1]!, bytes.ends[i]!),
      ...(media && { media }),
      ...(lazy && text !== undefined && { lazy: { id: lazy[0], ts: lazy[1], text } }),
    };
  });
}

/** Rewrites a pack without the lazy posts at `places` (they have rows now), under the same key. */
export async function dropLazy(
  packs: Store<'packs', 'readwrite'>,
  packBytes: Store<'packBytes', 'readwrite'>,
  pack: PackRow,
  bytes: PackBytesRow,
  places: ReadonlySet<number>,
): Promise<void> {
  const keep = <T>(record: Readonly<Record<number, T>> | undefined) => {
    const rest = Object.entries(record ?? {}).filter(([i]) => !places.has(Number(i)));
    return rest.length > 0 ? Object.fromEntries(rest) : undefined;
  };
  const { lazy: _lazy, ...index } = pack;
  const { texts: _texts, ...data } = bytes;
  const lazy = keep(pack.lazy);
  const texts = keep(bytes.texts);
  await Promise.all([
    packs.put({ ...index, ...(lazy && { lazy }) }),
    packBytes.put({ ...data, ...(texts && { texts }) }),
  ]);
}

function packOf(author: PseudonymId, rows: readonly PackInput[]): { index: PackRow; bytes: PackBytesRow } {
  const lo = Math.min(...rows.map((r) => r.seq));
  const first = rows[0]!.id;
  const ends = new Uint32Array(rows.length);
  const bytes = new Uint8Array(rows.reduce((sum, r) => sum + r.bytes.length, 0));
  let end = 0;
  const media: Record<number, readonly ObjectId[]> = {};
  const lazy: Record<number, readonly [ObjectId, number]> = {};
  const texts: Record<number, string> = {};
  rows.forEach((r, i) => {
    bytes.set(r.bytes, end);
    end += r.bytes.length;
    ends[i] = end;
    if (r.media?.length) media[i] = r.media;
    if (r.lazy) {
      lazy[i] = [r.lazy.id, r.lazy.ts];
      texts[i] = r.lazy.text;
    }
  });
  const some = (record: object) => Object.keys(record).length > 0;
  const index: PackRow = {
    a: author,
    lo,
    first,
    ids: rows.map((r) => r.id),
    seqs: rows.map((r) => r.seq),
    ...(some(media) && { media }),
    ...(some(lazy) && { lazy }),
  };
  return { index, bytes: { a: author, lo, first, bytes, ends, ...(some(texts) && { texts }) } };
}
