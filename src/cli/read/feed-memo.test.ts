/**
 * The memo's file: entries found again by their heads in a later process, each chunk read from the file only
 * when asked for, entries kept whole across a save that adds another, and a damaged file ignored.
 */
import { mkdtempSync, openSync, closeSync, rmSync, statSync, truncateSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import type { CommitId, PseudonymId } from '../../protocol/ids.ts';
import { type Chunks, FeedMemo, heldChunks } from './feed-memo.ts';

const alice = 'a'.repeat(64) as PseudonymId;
const bob = 'b'.repeat(64) as PseudonymId;
const heads = (c: string) => [c.repeat(64) as CommitId];
const bytes = (text: string) => new TextEncoder().encode(text);
const textsOf = (chunks: Chunks) =>
  Array.from({ length: chunks.count }, (_, i) => new TextDecoder().decode(chunks.get(i)));

let dir = '';
let path = '';
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'murmur-feed-memo-'));
  path = join(dir, 'memo');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A memo at `path` holding alice's entry (two chunks) and bob's (one). */
function saved(): void {
  const memo = FeedMemo.open<{ n: number }>(path, 'test');
  memo.put(alice, heads('1'), { n: 1 }, heldChunks([bytes('alice newest'), bytes('alice older')]));
  memo.put(bob, heads('2'), { n: 2 }, heldChunks([bytes('bob newest')]));
  memo.save();
  memo.close();
}

test('an entry is found by its heads in a later open, with its value and chunks; other heads find nothing', () => {
  saved();
  const memo = FeedMemo.open<{ n: number }>(path, 'test');
  expect(memo.find(alice, heads('3'))).toBeUndefined();
  const found = memo.find(alice, heads('1'))!;
  expect(found.value).toEqual({ n: 1 });
  expect(textsOf(found.chunks)).toEqual(['alice newest', 'alice older']);
  expect(textsOf(memo.find(bob, heads('2'))!.chunks)).toEqual(['bob newest']);
  expect(FeedMemo.open(path, 'another kind').find(alice, heads('1'))).toBeUndefined();
  memo.close();
  expect(() => found.chunks.get(0)).toThrow(RangeError);
});

test('a chunk is read from the file when asked for, not at open', () => {
  saved();
  const memo = FeedMemo.open<{ n: number }>(path, 'test');
  // The file's last bytes are bob's one chunk: changed in place (the same file the memo holds open) after open.
  const fd = openSync(path, 'r+');
  writeSync(fd, bytes('BOB'), 0, 3, statSync(path).size - 'bob newest'.length);
  closeSync(fd);
  expect(textsOf(memo.find(bob, heads('2'))!.chunks)).toEqual(['BOB newest']);
  memo.close();
});

test('a save keeps the entries used whole (their chunks read from the old file), drops the rest', () => {
  saved();
  const unchanged = statSync(path).ino;
  const reread = FeedMemo.open<{ n: number }>(path, 'test');
  reread.find(alice, heads('1'));
  reread.find(bob, heads('2'));
  reread.save(); // nothing new, nothing dropped: not written again
  reread.close();
  expect(statSync(path).ino).toBe(unchanged);

  const memo = FeedMemo.open<{ n: number }>(path, 'test');
  memo.find(alice, heads('1'));
  memo.put(bob, heads('4'), { n: 4 }, heldChunks([bytes('bob moved')]));
  memo.save();
  memo.close();
  const after = FeedMemo.open<{ n: number }>(path, 'test');
  expect(textsOf(after.find(alice, heads('1'))!.chunks)).toEqual(['alice newest', 'alice older']);
  expect(after.find(bob, heads('2'))).toBeUndefined();
  expect(textsOf(after.find(bob, heads('4'))!.chunks)).toEqual(['bob moved']);
  after.close();

  const dropping = FeedMemo.open<{ n: number }>(path, 'test');
  dropping.find(bob, heads('4')); // alice's feed no longer read
  dropping.save();
  dropping.close();
  const last = FeedMemo.open(path, 'test');
  expect(last.find(alice, heads('1'))).toBeUndefined();
  last.close();
});

test('a file cut short, or not a memo, is ignored', () => {
  saved();
  truncateSync(path, statSync(path).size - 1); // bob's chunk now ends past the file
  expect(FeedMemo.open(path, 'test').find(alice, heads('1'))).toBeUndefined();
  truncateSync(path, 2);
  expect(FeedMemo.open(path, 'test').find(alice, heads('1'))).toBeUndefined();
});
