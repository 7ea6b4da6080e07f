/**
 * AppendLog's group commit: appends that arrive together cost one write and
 * one fdatasync, none is acknowledged before its fdatasync, and a failed one
 * rejects its whole batch and every append after it (the file's tail is
 * then unknown).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { AppendLog, type AppendTarget, openAppendLog } from './append-log.ts';

/** An open log file in memory that counts its writes and syncs; `failSync` makes the next datasync fail. */
function fakeFile() {
  const file = {
    text: '',
    durable: '',
    writes: 0,
    syncs: 0,
    failSync: undefined as Error | undefined,
    releaseSync: undefined as (() => void) | undefined,
  };
  const target = {
    write: async (bytes: Buffer, offset: number, length: number) => {
      file.writes++;
      file.text += bytes.subarray(offset, offset + length).toString('utf8');
      return { bytesWritten: length, buffer: bytes };
    },
    datasync: async () => {
      file.syncs++;
      await new Promise<void>((resolve) => (file.releaseSync = resolve));
      if (file.failSync) throw file.failSync;
      file.durable = file.text;
    },
    close: async () => {},
  } as unknown as AppendTarget;
  return { file, target };
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise<void>((resolve) => setImmediate(resolve));
}

test('appends that arrive together share one write and one fdatasync, and resolve only after it', async () => {
  const { file, target } = fakeFile();
  const log = new AppendLog(target);
  let acknowledged = 0;
  const all = ['a', 'b', 'c'].map((line) => log.append(line).then(() => acknowledged++));
  await until(() => file.releaseSync !== undefined);
  expect(acknowledged).toBe(0);
  file.releaseSync!();
  await Promise.all(all);
  expect({ writes: file.writes, syncs: file.syncs, durable: file.durable }).toEqual({
    writes: 1,
    syncs: 1,
    durable: 'a\nb\nc\n',
  });
});

test('a failing fdatasync rejects every append of its batch and every later one; none is acknowledged', async () => {
  const { file, target } = fakeFile();
  const log = new AppendLog(target);
  file.failSync = new Error('EIO: fdatasync failed');
  const settled: string[] = [];
  const batch = ['a', 'b'].map((line) =>
    log.append(line).then(
      () => void settled.push(`${line} acknowledged`),
      (error: Error) => void settled.push(`${line} ${error.message}`),
    ),
  );
  await until(() => file.releaseSync !== undefined);
  // Arrives during the failing sync: it must not land after a tail that may be torn.
  const during = log.append('c').catch((error: Error) => void settled.push(`c ${error.message}`));
  file.releaseSync!();
  await Promise.all([...batch, during]);
  await expect(log.append('d')).rejects.toThrow('EIO');
  expect(settled).toEqual(['a EIO: fdatasync failed', 'b EIO: fdatasync failed', 'c EIO: fdatasync failed']);
  expect(file.durable).toBe('');
  expect(file.syncs).toBe(1);
});

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'murmur-append-log-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

test('many concurrent appends to a real file: each is in the file once, in the order they were made', async () => {
  const path = join(dir, 'test.log');
  const { log } = await openAppendLog(path, dir);
  const lines = Array.from({ length: 500 }, (_, i) => `line ${i} ${'x'.repeat(i % 50)}`);
  const order: string[] = [];
  await Promise.all(lines.map((line) => log.append(line).then(() => order.push(line))));
  expect(order).toEqual(lines);
  expect(await readFile(path, 'utf8')).toBe(lines.map((l) => `${l}\n`).join(''));
  await log.close();
  const again = await openAppendLog(path, dir);
  expect(again.lines).toEqual(lines);
  await again.log.close();
});
