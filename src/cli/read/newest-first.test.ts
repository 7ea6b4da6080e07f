/**
 * The timeline's order and its lazy merge: merging lists each sorted newest first gives what sorting them all
 * together gives, and a caller that stops early decodes only the chunks it reached.
 */
import { expect, test } from 'vitest';
import { type Chunks, heldChunks } from './feed-memo.ts';
import { ChunkedList, mergeSorted, newerFirst } from './newest-first.ts';

interface Item {
  readonly id: string;
  readonly at: number;
}
const order = newerFirst<Item>((item) => item.at);

const arrayOf = (chunks: Chunks) => Array.from({ length: chunks.count }, (_, i) => chunks.get(i));

/** `count` items with times from a fixed pseudo-random walk (ties included), sorted newest first. */
function list(seed: number, count: number): Item[] {
  let x = seed;
  const items = Array.from({ length: count }, (_, i) => {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    return { id: `${seed}-${i}`, at: x % 50 };
  });
  return items.sort(order);
}

test('merging sorted lists is sorting them together, ties broken by id', () => {
  const lists = [list(1, 40), list(2, 0), list(3, 75), list(4, 1)];
  expect([...mergeSorted(lists, order)]).toEqual(lists.flat().sort(order));
  expect([
    ...mergeSorted(
      lists.map((l) => ChunkedList.encode(l).items()),
      order,
    ),
  ]).toEqual(lists.flat().sort(order));
});

test('a list from its chunks alone decodes a chunk only when reached', () => {
  const items = list(5, 100);
  const chunks = arrayOf(ChunkedList.encode(items).chunks);
  const fromMemo = new ChunkedList<Item>(heldChunks(chunks));
  const newest = fromMemo.items();
  expect(newest.next().value).toEqual(items[0]);
  chunks.fill(new Uint8Array([0xff, 0x00])); // the later chunks were never decoded: damage them now
  expect(() => [...newest]).toThrow();
  const again = new ChunkedList<Item>(heldChunks(arrayOf(ChunkedList.encode(items).chunks)));
  expect([...again.items()]).toEqual(items);
});
