/** Mists in a feed file (feed-file.ts, feed-file-checks.ts): their files travel with their commits, nothing more. */
import { describe, expect, test } from 'vitest';
import { fromHex, utf8 } from './bytes.ts';
import { buildCommit } from './commits.ts';
import { ProtocolError } from './errors.ts';
import { encodeFeedFile } from './feed-file.ts';
import { type FeedFileItem, readFeedFile } from './feed-file-reader.ts';
import { type ObjectId, hashBytes } from './ids.ts';
import { pickVerify, pseudonymOf } from './keys.ts';
import { buildMist } from './mists.ts';
import type { Op } from './ops.ts';

const KEY = fromHex('11'.repeat(32));
const AUTHOR = pseudonymOf(KEY);
const T0 = 1_767_225_600_000;
const NOW = T0 + 86_400_000;
const verify = await pickVerify();

/** The items a feed file reads as, or the name of the error that refuses it. */
async function readAll(blobs: ReadonlyMap<ObjectId, Uint8Array>, bytes: Uint8Array): Promise<FeedFileItem[] | string> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of encodeFeedFile({
    header: { author: AUTHOR, commits: 1, ts: NOW },
    commits: [{ bytes, blobs }],
  }))
    chunks.push(chunk);
  async function* whole() {
    yield new Uint8Array(Buffer.concat(chunks));
  }
  const items: FeedFileItem[] = [];
  try {
    for await (const item of readFeedFile(whole(), { verify, now: NOW })) items.push(item);
  } catch (error) {
    if (!(error instanceof ProtocolError)) throw error;
    return error.name;
  }
  return items;
}

describe('mists in a feed file', () => {
  const file = utf8('print("a file")\n');
  const sealedFile = utf8('mau1 stands in for a sealed file');
  const mist = buildMist({
    author: AUTHOR,
    name: 'a.py',
    content: hashBytes(file),
    size: file.length,
    ts: T0,
    artifact: 'code',
  });
  const sealedMist = utf8('mau1 stands in for a sealed mist');
  const ops: Op[] = [
    { type: 'mist', object: mist.id },
    { type: 'mist', object: hashBytes(sealedMist), audience: 'link' },
  ];
  const signed = buildCommit(KEY, { parents: [], seq: 1, ts: T0, ops });
  const blobs = new Map<ObjectId, Uint8Array>([
    [mist.id, mist.bytes],
    [hashBytes(sealedMist), sealedMist],
    [hashBytes(file), file],
    [hashBytes(sealedFile), sealedFile],
  ]);

  test('a public mist’s file and a secret mist’s sealed file travel with their commit and read back', async () => {
    const items = (await readAll(blobs, signed.bytes)) as FeedFileItem[];
    const [read] = items.filter((i) => i.kind === 'commit') as Extract<FeedFileItem, { kind: 'commit' }>[];
    expect(read!.commit.blobs.map((b) => b.id).sort()).toEqual([...blobs.keys()].sort());
  });

  test('one object more than its secret mists account for is refused: DecodeError', async () => {
    const stray = utf8('one object too many');
    const more = new Map([...blobs, [hashBytes(stray), stray]]);
    expect(await readAll(more, signed.bytes)).toBe('DecodeError');
  });
});
