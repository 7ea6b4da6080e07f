import { expect, test } from 'vitest';
import { READ_CHUNK_BYTES } from '../../read-buffers.ts';
import { sizedChunks } from './sized-body.ts';

async function* piecesOf(...sizes: number[]): AsyncGenerator<Uint8Array> {
  let n = 0;
  for (const size of sizes) yield new Uint8Array(size).map(() => n++ % 256);
}

async function read(pieces: AsyncIterable<Uint8Array>, size: number): Promise<Uint8Array[] | string> {
  const chunks: Uint8Array[] = [];
  try {
    for await (const chunk of sizedChunks(pieces, size)) chunks.push(chunk);
    return chunks;
  } catch (error) {
    return `${(error as Error).name}: ${(error as Error).message}`;
  }
}

test('pieces adding up to the declared size come out whole and in order, no chunk over READ_CHUNK_BYTES', async () => {
  const sizes = [3 * READ_CHUNK_BYTES + 1, 10, 0, READ_CHUNK_BYTES];
  const total = sizes.reduce((a, b) => a + b);
  const chunks = (await read(piecesOf(...sizes), total)) as Uint8Array[];
  expect(chunks.map((c) => c.length)).toEqual([...Array(3).fill(READ_CHUNK_BYTES), 1, 10, READ_CHUNK_BYTES]);
  expect([...Buffer.concat(chunks)]).toEqual(Array.from({ length: total }, (_, i) => i % 256));
  expect(await read(piecesOf(), 0)).toEqual([]);
});

test('a body that ends short of its declared size is BodyLengthMismatch', async () => {
  expect(await read(piecesOf(100, 50), 200)).toBe(
    'BodyLengthMismatch: the body ended after 150 of its declared 200 bytes',
  );
  expect(await read(piecesOf(), 1)).toMatch(/^BodyLengthMismatch: the body ended after 0/);
});

test('a body that runs past its declared size is BodyLengthMismatch, and nothing past the size comes out', async () => {
  const chunks: Uint8Array[] = [];
  const reading = (async () => {
    for await (const chunk of sizedChunks(piecesOf(100, 100, 1), 200)) chunks.push(chunk);
  })();
  await expect(reading).rejects.toMatchObject({ name: 'BodyLengthMismatch', message: /ran past its declared 200/ });
  expect(chunks.reduce((sum, c) => sum + c.length, 0)).toBe(200);
  expect(await read(piecesOf(1), 0)).toMatch(/^BodyLengthMismatch/);
});
