/**
 * The built hub as an operator runs it: one JSON log line per request, a
 * clean exit on SIGTERM even with a live event stream open, and a refusal to
 * start on a damaged data folder that says which file and line.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type BuiltHub, buildHub } from './testing/hub-build.ts';
import { alice } from './testing/hub-fixture.ts';
import { spawnHub } from './testing/hub-process.ts';

let built: BuiltHub;
let dataDir: string;
beforeAll(async () => {
  [built, dataDir] = await Promise.all([buildHub(), mkdtemp(join(tmpdir(), 'murmur-process-'))]);
});
afterAll(async () => {
  await Promise.all([built.remove(), rm(dataDir, { recursive: true, force: true })]);
});

test('one structured log line per request, and SIGTERM ends the process cleanly with a stream open', async () => {
  const hub = await spawnHub(built.main, { dataDir, env: { MURMUR_LOG: 'on' } });
  try {
    expect((await fetch(`${hub.url}/.well-known/murmur.json`)).status).toBe(200);
    expect((await fetch(`${hub.url}/v1/blobs/not-an-id`)).status).toBe(400);
    expect((await fetch(`${hub.url}/v1/heads/${alice}`, { method: 'PUT', body: '{"type":' })).status).toBe(400);
    const stream = await fetch(`${hub.url}/v1/stream?authors=${alice}`);
    expect(stream.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader = stream.body!.getReader();
    await reader.read(); // the stream is live

    const exited = hub.stop('SIGTERM');
    expect(await exited).toBe(0);
    const lines = hub
      .output()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map(({ method, path, status }) => `${method} ${path} ${status}`)).toEqual([
      'GET /.well-known/murmur.json 200',
      'GET /v1/blobs/not-an-id 400',
      `PUT /v1/heads/${alice} 400`,
      'GET /v1/stream 200',
    ]);
    for (const line of lines) {
      expect(Object.keys(line).sort()).toEqual(['method', 'ms', 'path', 'status', 't']);
      expect(typeof line.ms).toBe('number');
      expect(Number.isNaN(Date.parse(line.t as string))).toBe(false);
    }
  } finally {
    await hub.stop('SIGKILL');
  }
});

test('a damaged heads.log: the hub exits 1 naming CorruptStore, the file and the line; the file stays', async () => {
  const folder = await mkdtemp(join(tmpdir(), 'murmur-process-corrupt-'));
  try {
    await writeFile(join(folder, 'heads.log'), '1 {"not":"a head"}\n');
    const error = await spawnHub(built.main, { dataDir: folder }).then(
      async (hub) => {
        await hub.stop('SIGKILL');
        return undefined;
      },
      (e: unknown) => e,
    );
    expect(String(error)).toMatch(/exited with 1 before listening: .*murmur hub: CorruptStore: heads\.log: line 1 /s);
    expect(await readFile(join(folder, 'heads.log'), 'utf8')).toBe('1 {"not":"a head"}\n');
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
});
