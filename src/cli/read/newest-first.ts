/**
 * Lists of timeline items newest first, as kept in the timeline's memo
 * (feed-memo.ts): in chunks, each serialized on its own, so a read decodes
 * only the chunks it reaches (the newest 50 of 50 feeds of 1,000 posts
 * reach one chunk of each); and the merge of such lists that a timeline
 * read takes its newest from.
 */
import { deserialize, serialize } from 'node:v8';
import { type Chunks, heldChunks } from './feed-memo.ts';

/** Items a chunk holds: small enough that the newest few of many feeds decode little, large enough to be few. */
const CHUNK_ITEMS = 32;

/** The order of a timeline: newest first by `at`, then by id (ids are distinct, so the order is total). */
export function newerFirst<T extends { readonly id: string }>(at: (item: T) => number): (a: T, b: T) => number {
  return (a, b) => at(b) - at(a) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** A list sorted newest first, held as serialized chunks, each decoded when first reached. */
export class ChunkedList<T> {
  /** The serialized chunks (encode() made them), each read when first reached (from a memo's file). */
  readonly chunks: Chunks;
  readonly #decoded: (readonly T[] | undefined)[];

  /** Over `chunks` as encode() made them (from a memo): nothing decoded yet. */
  constructor(chunks: Chunks, decoded: (readonly T[] | undefined)[] = []) {
    this.chunks = chunks;
    this.#decoded = decoded;
  }

  /** `sorted` in chunks, its chunks already decoded (the list was just derived). */
  static encode<T>(sorted: readonly T[]): ChunkedList<T> {
    const parts: T[][] = [];
    for (let at = 0; at < sorted.length; at += CHUNK_ITEMS) parts.push(sorted.slice(at, at + CHUNK_ITEMS));
    return new ChunkedList<T>(heldChunks(parts.map((part) => serialize(part))), parts);
  }

  *items(): Generator<T> {
    for (let i = 0; i < this.chunks.count; i++) yield* this.#chunk(i);
  }

  #chunk(i: number): readonly T[] {
    let items = this.#decoded[i];
    if (!items) {
      items = deserialize(this.chunks.get(i)) as T[];
      this.#decoded[i] = items;
    }
    return items;
  }
}

/**
 * The items of `lists` (each sorted by `order`) in that order, lazily: a caller that stops after the newest
 * few reads only the start of each list.
 */
export function* mergeSorted<T>(lists: readonly Iterable<T>[], order: (a: T, b: T) => number): Generator<T> {
  const iterators = lists.map((list) => list[Symbol.iterator]());
  const heads = iterators.map((it) => it.next());
  for (;;) {
    let best = -1;
    for (let i = 0; i < heads.length; i++) {
      const head = heads[i]!;
      if (!head.done && (best < 0 || order(head.value, heads[best]!.value as T) < 0)) best = i;
    }
    if (best < 0) return;
    yield heads[best]!.value as T;
    heads[best] = iterators[best]!.next();
  }
}
