/** StreamHub alone (a plain node:http server around it): a stream that disconnects is forgotten. */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { FileHeadStore } from '../store/files/head-store.ts';
import { alice, aliceKey, signedHead } from '../testing/hub-fixture.ts';
import { StreamHub } from './sse.ts';

test('a client that goes away is dropped from its authors, and later changes still reach the others', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'murmur-sse-'));
  const heads = await FileHeadStore.open(join(dir, 'heads.log'), dir);
  const streams = new StreamHub(heads);
  const server = createServer(
    (req, res) => void streams.handler({ req, res, url: new URL(req.url!, 'http://hub.invalid'), params: {} }),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/?authors=${alice}`;

  const open = async () => {
    const controller = new AbortController();
    const reader = (await fetch(url, { signal: controller.signal }))
      .body!.pipeThrough(new TextDecoderStream())
      .getReader();
    await reader.read(); // the retry line: the hub has registered the stream
    return { reader, close: () => controller.abort() };
  };
  const leaving = await open();
  const staying = await open();
  expect(streams.size).toBe(2);

  leaving.close();
  await expect.poll(() => streams.size).toBe(1);
  await heads.putHead(signedHead(aliceKey, 1).head);
  let text = '';
  while (!text.includes('event: head')) text += (await staying.reader.read()).value;
  expect(text).toContain('id: 1\n');

  streams.close();
  expect(streams.size).toBe(0);
  expect((await staying.reader.read()).done).toBe(true);
  server.close();
  await heads.close();
  await rm(dir, { recursive: true, force: true });
});
