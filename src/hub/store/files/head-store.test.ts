/** FileHeadStore on its own: rebuilding from the log, compaction at start, and change numbering after it. */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { fromUtf8 } from '../../../protocol/bytes.ts';
import { FileHeadStore } from './head-store.ts';
import { alice, aliceKey, bob, bobKey, signedHead } from '../../testing/hub-fixture.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'murmur-heads-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

test('a log mostly of superseded heads is compacted at start, keeping change numbers', async () => {
  const a = fromUtf8(signedHead(aliceKey, 1).head.bytes);
  const b = fromUtf8(signedHead(bobKey, 1).head.bytes);
  const lines = Array.from({ length: 2000 }, (_, i) => `${i + 1} ${a}`);
  lines.push(`2001 ${b}`);
  const path = join(dir, 'heads.log');
  await writeFile(path, lines.map((l) => `${l}\n`).join(''));

  const store = await FileHeadStore.open(path, dir);
  expect((await readFile(path, 'utf8')).split('\n')).toEqual([`2000 ${a}`, `2001 ${b}`, '']);
  expect([...(await store.findHeads([alice, bob])).values()].map((c) => c.seq)).toEqual([2000, 2001]);
  expect(await store.lastSeq()).toBe(2001);
  const next = await store.putHead(signedHead(aliceKey, 2).head);
  expect(next.seq).toBe(2002);
  expect((await store.listChanges({ since: 0, limit: 10 })).changes.map((c) => c.seq)).toEqual([2001, 2002]);
  await store.close();
});

test('a log with few superseded heads is left as it is', async () => {
  const path = join(dir, 'heads.log');
  const store = await FileHeadStore.open(path, dir);
  for (const seq of [1, 2, 3]) await store.putHead(signedHead(aliceKey, seq).head);
  await store.close();
  const before = await readFile(path, 'utf8');
  const again = await FileHeadStore.open(path, dir);
  expect(await readFile(path, 'utf8')).toBe(before);
  expect((await again.findHeads([alice])).get(alice)?.signed.head.seq).toBe(3);
  await again.close();
});
