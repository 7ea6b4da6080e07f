/**
 * The S3 blob store against answers a real service gives only when
 * something is broken (a body cut short, no Content-Length, a server error),
 * from a stand-in HTTP server on 127.0.0.1: each must be StoreUnavailable,
 * never a short blob or an absent one. The real service is in
 * s3-blob-store.test.ts.
 */
import { type Server, type ServerResponse, createServer } from 'node:http';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type ObjectId, hashBytes } from '../../../protocol/ids.ts';
import { S3BlobStore } from './s3-blob-store.ts';

const bytes = new Uint8Array(100_000).map((_, i) => i % 251);
const id: ObjectId = hashBytes(bytes);

/** How the stand-in answers GETs of the object, by test. */
let answer: (res: ServerResponse) => void = () => {};
let server: Server;
let store: S3BlobStore;

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.method === 'GET') return answer(res);
    res.writeHead(500).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  store = new S3BlobStore({
    endpoint: `http://127.0.0.1:${port}`,
    region: 'us-east-1',
    bucket: 'blobs',
    accessKeyId: 'key',
    secretAccessKey: 'secret',
    prefix: '',
    pathStyle: true,
  });
});

afterAll(async () => {
  store.close();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

/** The error name each read gives: find, and openRead read to its end. */
async function readOutcomes(): Promise<string[]> {
  const reads = [
    () => store.find(id),
    async () => {
      const reader = await store.openRead(id);
      for await (const _ of reader!.chunks);
    },
  ];
  const outcomes: string[] = [];
  for (const read of reads) {
    try {
      await read();
      outcomes.push('fulfilled');
    } catch (error) {
      outcomes.push((error as Error).name);
    }
  }
  return outcomes;
}

test('the stand-in answers a whole body, which both reads take (the control for the cases below)', async () => {
  answer = (res) => res.writeHead(200, { 'content-length': bytes.length }).end(bytes);
  expect(await readOutcomes()).toEqual(['fulfilled', 'fulfilled']);
  expect(await store.find(id)).toEqual(bytes);
});

test('a body cut off before its Content-Length is StoreUnavailable, not a shorter blob', async () => {
  answer = (res) => {
    res.writeHead(200, { 'content-length': bytes.length });
    res.write(bytes.subarray(0, 40_000), () => res.destroy());
  };
  expect(await readOutcomes()).toEqual(['StoreUnavailable', 'StoreUnavailable']);
});

test('a body without a Content-Length is StoreUnavailable: its length cannot be checked', async () => {
  answer = (res) => {
    res.writeHead(200, { 'transfer-encoding': 'chunked' });
    res.end(bytes);
  };
  expect(await readOutcomes()).toEqual(['StoreUnavailable', 'StoreUnavailable']);
});

test('a server error is StoreUnavailable naming the status, with the SDK error as its cause', async () => {
  answer = (res) =>
    res.writeHead(403, { 'content-type': 'application/xml' }).end('<Error><Code>AccessDenied</Code></Error>');
  expect(await readOutcomes()).toEqual(['StoreUnavailable', 'StoreUnavailable']);
  const error = (await store.find(id).catch((e: unknown) => e)) as Error;
  expect(error.message).toMatch(/answered 403 AccessDenied when fetching blob/);
  expect(error.cause).toMatchObject({ name: 'AccessDenied' });
  expect(error.message).not.toMatch(/secret/);
});

test('a 404 NoSuchKey is an absent blob; a 404 NoSuchBucket is StoreUnavailable', async () => {
  const notFound = (code: string) => (res: ServerResponse) =>
    res.writeHead(404, { 'content-type': 'application/xml' }).end(`<Error><Code>${code}</Code></Error>`);
  answer = notFound('NoSuchKey');
  expect(await store.find(id)).toBeUndefined();
  expect(await store.openRead(id)).toBeUndefined();
  answer = notFound('NoSuchBucket');
  expect(await readOutcomes()).toEqual(['StoreUnavailable', 'StoreUnavailable']);
});
