/**
 * The feed file (feed-file.ts, feed-file-reader.ts): random feeds round-trip
 * byte for byte through any chunking; every kind of damage is refused with
 * its named error and the reader never reaches its end item.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { fromHex, utf8 } from './bytes.ts';
import { buildCommit, decodeCommit, objectIdsOf } from './commits.ts';
import { ProtocolError, type ProtocolErrorName } from './errors.ts';
import {
  FEED_FILE_MAGIC,
  type FeedFileCommit,
  RECORD,
  defaultHasher,
  encodeFeedFile,
  encodeFeedFileHeader,
} from './feed-file.ts';
import { type FeedFileItem, readFeedFile, verifyFeedFile } from './feed-file-reader.ts';
import { type CommitId, type ObjectId, hashBytes } from './ids.ts';
import { pickVerify, pseudonymOf } from './keys.ts';
import { buildPost } from './objects.ts';
import type { Op } from './ops.ts';
import { buildSignedUnchecked } from './signed.ts';

const RUNS = Number(process.env.MURMUR_PROPERTY_RUNS ?? 60);
const KEY = fromHex('11'.repeat(32));
const AUTHOR = pseudonymOf(KEY);
const OTHER_KEY = fromHex('22'.repeat(32));
const T0 = 1_767_225_600_000;
const NOW = T0 + 86_400_000;
const verify = await pickVerify();

type Step = 'post' | 'media' | 'edit' | 'avatar' | 'repost' | 'fork' | 'follow';

interface Feed {
  readonly commits: FeedFileCommit[];
  readonly ids: CommitId[];
}

/** A feed from steps: posts (some with media, shared media too), edits, an avatar, reposts, forks and merges. */
function buildFeed(steps: readonly Step[]): Feed {
  const commits: FeedFileCommit[] = [];
  const seqs = new Map<CommitId, number>();
  const posts: ObjectId[] = [];
  const mediaPool = [utf8('image one'), utf8('image two'), new Uint8Array(3000).fill(7)];
  let tips: CommitId[] = [];
  let last: { parents: CommitId[] } | undefined;
  const other = buildPost({ author: pseudonymOf(OTHER_KEY), body: 'theirs', ts: T0 });
  const otherCommit = buildCommit(OTHER_KEY, {
    parents: [],
    seq: 1,
    ts: T0,
    ops: [{ type: 'post', object: other.id }],
  });
  steps.forEach((step, i) => {
    const blobs = new Map<ObjectId, Uint8Array>();
    let ops: Op[];
    if (step === 'edit' && posts.length > 0) {
      const version = buildPost({ author: AUTHOR, body: `edited ${i}`, ts: T0 + i });
      blobs.set(version.id, version.bytes);
      ops = [{ type: 'edit', target: posts[0]!, object: version.id }];
    } else if (step === 'avatar') {
      const avatar = mediaPool[i % 2]!;
      blobs.set(hashBytes(avatar), avatar);
      ops = [{ type: 'profile', avatar: hashBytes(avatar), name: `n${i}` }];
    } else if (step === 'repost') {
      blobs.set(other.id, other.bytes).set(otherCommit.id, otherCommit.bytes);
      ops = [{ type: 'repost', object: other.id, commit: otherCommit.id }];
    } else if (step === 'follow') {
      ops = [{ type: 'follow', target: pseudonymOf(OTHER_KEY) }];
    } else {
      const media = step === 'media' ? [mediaPool[i % 3]!, mediaPool[(i + 1) % 3]!] : [];
      for (const m of media) blobs.set(hashBytes(m), m);
      const post = buildPost({
        author: AUTHOR,
        body: `post ${i}`,
        ts: T0 + i,
        ...(media.length > 0 && { media: media.map(hashBytes) }),
      });
      blobs.set(post.id, post.bytes);
      posts.push(post.id);
      ops = [{ type: 'post', object: post.id }];
    }
    // A fork makes a sibling of the last commit (two tips); the next commit merges them.
    const parents = step === 'fork' && last ? last.parents : tips;
    const seq = parents.length === 0 ? 1 : 1 + Math.max(...parents.map((p) => seqs.get(p)!));
    const signed = buildCommit(KEY, { parents, seq, ts: T0 + i, ops });
    seqs.set(signed.id, seq);
    tips = [...tips.filter((t) => !parents.includes(t)), signed.id];
    last = { parents: [...parents] };
    commits.push({ bytes: signed.bytes, blobs });
  });
  return { commits, ids: commits.map((c) => hashBytes(c.bytes)) };
}

async function encode(feed: Feed, extra: { key?: Uint8Array; private?: Uint8Array } = {}): Promise<Uint8Array> {
  const header = { author: AUTHOR, commits: feed.commits.length, ts: NOW };
  return concat(await collect(encodeFeedFile({ header, ...extra, commits: feed.commits })));
}

async function collect<T>(source: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of source) out.push(x);
  return out;
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** The bytes as chunks cut at the given sizes (cycled), as a file or network stream delivers them. */
async function* chunked(bytes: Uint8Array, sizes: readonly number[] = [65_536]) {
  for (let at = 0, i = 0; at < bytes.length; i++) {
    const n = Math.max(1, sizes[i % sizes.length]!);
    yield bytes.slice(at, at + n);
    at += n;
  }
}

async function read(bytes: Uint8Array, sizes?: readonly number[]): Promise<FeedFileItem[]> {
  return collect(readFeedFile(chunked(bytes, sizes), { verify, now: NOW, window: 4 }));
}

function read2(bytes: Uint8Array, v: typeof verify, verified: ReadonlySet<CommitId>) {
  return collect(readFeedFile(chunked(bytes), { verify: v, now: NOW, verified }));
}

/** The name of the error the reader refuses `bytes` with (and that it never got to the end item). */
async function refusal(bytes: Uint8Array): Promise<ProtocolErrorName> {
  let sawEnd = false;
  try {
    for await (const item of readFeedFile(chunked(bytes, [997]), { verify, now: NOW, window: 4 }))
      sawEnd ||= item.kind === 'end';
  } catch (error) {
    expect(sawEnd).toBe(false);
    if (!(error instanceof ProtocolError)) throw error;
    return error.name;
  }
  throw new Error('the damaged file was accepted');
}

/** Splits a file into its records (after the magic): for damage that keeps a valid checksum. */
function records(bytes: Uint8Array): { kind: number; payload: Uint8Array }[] {
  const out: { kind: number; payload: Uint8Array }[] = [];
  const view = new DataView(bytes.buffer, bytes.byteOffset);
  for (let at = FEED_FILE_MAGIC.length; at < bytes.length; ) {
    const length = view.getUint32(at + 1);
    out.push({ kind: bytes[at]!, payload: bytes.slice(at + 5, at + 5 + length) });
    at += 5 + length;
  }
  return out;
}

/** Writes records back with a correct checksum (the end record, if given, is replaced). */
function rebuild(list: readonly { kind: number; payload: Uint8Array }[]): Uint8Array {
  const hasher = defaultHasher();
  const parts: Uint8Array[] = [FEED_FILE_MAGIC];
  for (const { kind, payload } of list.filter((r) => r.kind !== RECORD.end)) {
    const prefix = new Uint8Array(5);
    prefix[0] = kind;
    new DataView(prefix.buffer).setUint32(1, payload.length);
    parts.push(prefix, payload);
  }
  for (const p of parts) hasher.update(p);
  parts.push(Uint8Array.of(RECORD.end, 0, 0, 0, 32), hasher.digest());
  return concat(parts);
}

const stepArb = fc.constantFrom<Step>('post', 'post', 'media', 'edit', 'avatar', 'repost', 'fork', 'follow');

describe('round trips', () => {
  test('any feed, cut into any chunks, reads back commit for commit and object for object', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(stepArb, { minLength: 0, maxLength: 14 }),
        fc.array(fc.integer({ min: 1, max: 700 }), { minLength: 1, maxLength: 5 }),
        fc.boolean(),
        async (steps, sizes, withExtras) => {
          const feed = buildFeed(steps);
          const extras = withExtras ? { key: utf8('{"sealed":"key"}'), private: utf8('mps1 sealed state') } : {};
          const bytes = await encode(feed, extras);
          const items = await read(bytes, sizes);
          const commits = items.flatMap((i) => (i.kind === 'commit' ? [i.commit] : []));
          expect(commits.map((c) => c.signed.id)).toEqual(feed.ids);
          commits.forEach((c, i) => {
            expect(c.signed.bytes).toEqual(feed.commits[i]!.bytes);
            for (const { id, bytes: b } of c.blobs) expect(b).toEqual(feed.commits[i]!.blobs.get(id));
          });
          expect(items[0]).toEqual({ kind: 'header', header: { author: AUTHOR, commits: steps.length, ts: NOW } });
          expect(items.some((i) => i.kind === 'key')).toBe(withExtras);
          expect(items.at(-1)?.kind).toBe('end');
          // The same parts written again give the same bytes: one file per feed (encode(decode(b)) = b).
          const again = buildFeedFromItems(items);
          expect(await encode(again, extras)).toEqual(bytes);
          // Told each commit's named ids, as feedFileCommits passes a store's, the writer writes the same bytes.
          const named = feed.commits.map((c) => ({ ...c, named: objectIdsOf(decodeCommit(c.bytes).commit) }));
          expect(await encode({ ...feed, commits: named }, extras)).toEqual(bytes);
        },
      ),
      { numRuns: RUNS },
    );
  });

  test('every media blob is written once, after the first post that shows it, and carried by that commit', async () => {
    const feed = buildFeed(['media', 'media', 'media', 'post']);
    const items = await read(await encode(feed));
    const carried = items.flatMap((i) => (i.kind === 'commit' ? i.commit.blobs.map((b) => b.id) : []));
    expect(new Set(carried).size).toBe(carried.length);
    expect(carried.filter((id) => feed.commits.some((c) => c.blobs.get(id)?.[0] === 7))).toHaveLength(1);
  });

  test('the end item names the tips: a fork left open has two', async () => {
    const items = await read(await encode(buildFeed(['post', 'post', 'fork'])));
    const end = items.at(-1)!;
    expect(end.kind === 'end' && end.tips).toHaveLength(2);
  });

  test('verifyFeedFile reads to the end and reports what the file holds', async () => {
    const feed = buildFeed(['post', 'media', 'repost']);
    const seen: number[] = [];
    const summary = await verifyFeedFile(chunked(await encode(feed, { key: utf8('k') })), {
      verify,
      now: NOW,
      onCommit: (index) => seen.push(index),
    });
    expect(summary).toMatchObject({ key: utf8('k'), commits: 3, tips: [feed.ids[2]] });
    expect(summary.private).toBeUndefined();
    expect(seen).toEqual([0, 1, 2]);
  });

  test('a second pass told what the first verified checks no signature twice, and any other commit still', async () => {
    const bytes = await encode(buildFeed(['post', 'repost', 'post']));
    const first = await verifyFeedFile(chunked(bytes), { verify, now: NOW });
    expect(first.verified.size).toBe(4); // its three commits and the reposted one
    let calls = 0;
    const counting: typeof verify = (...args) => {
      calls++;
      return verify(...args);
    };
    const again = await read2(bytes, counting, first.verified);
    expect(again.at(-1)?.kind).toBe('end');
    expect(calls).toBe(0);
    // The file changed between the passes: the swapped-in commit's signature is checked, and refused.
    const { groups: list, join } = groups(bytes);
    list[2]![0] = { kind: RECORD.commit, payload: buildSignedUnchecked(decodeFields(list[2]![0]!.payload), OTHER_KEY) };
    await expect(read2(join(list), counting, first.verified)).rejects.toMatchObject({ name: 'BadSignature' });
  });

  test('the reader streams: it has pulled only part of a long file when the first commit comes out', async () => {
    const bytes = await encode(buildFeed(Array.from({ length: 200 }, () => 'post' as const)));
    let pulled = 0;
    async function* counting() {
      for await (const chunk of chunked(bytes, [512])) {
        pulled += chunk.length;
        yield chunk;
      }
    }
    for await (const item of readFeedFile(counting(), { verify, now: NOW, window: 4 })) {
      if (item.kind === 'commit') break;
    }
    expect(pulled).toBeLessThan(bytes.length / 10);
  });
});

/** The writer's input again from what the reader gave. */
function buildFeedFromItems(items: readonly FeedFileItem[]): Feed {
  const commits: FeedFileCommit[] = [];
  const media = new Map<ObjectId, Uint8Array>();
  for (const item of items) {
    if (item.kind !== 'commit') continue;
    for (const b of item.commit.blobs) media.set(b.id, b.bytes);
    commits.push({ bytes: item.commit.signed.bytes, blobs: media });
  }
  return { commits, ids: commits.map((c) => hashBytes(c.bytes)) };
}

/** The records of each commit group (a commit and the objects after it), and those around them. */
function groups(bytes: Uint8Array) {
  const list = records(bytes);
  const head = list.filter((r) => r.kind !== RECORD.commit && r.kind !== RECORD.object && r.kind !== RECORD.end);
  const out: { kind: number; payload: Uint8Array }[][] = [];
  for (const r of list) {
    if (r.kind === RECORD.commit) out.push([r]);
    else if (r.kind === RECORD.object) out.at(-1)!.push(r);
  }
  return { head, groups: out, join: (g: typeof out) => rebuild([...head, ...g.flat()]) };
}

describe('damaged files are refused, by name, before the end item', () => {
  test('cut short anywhere: Truncated', async () => {
    const bytes = await encode(buildFeed(['post', 'media', 'avatar', 'repost']), { key: utf8('key') });
    for (let cut = FEED_FILE_MAGIC.length; cut < bytes.length; cut += 1 + Math.floor(cut / 50))
      expect(await refusal(bytes.slice(0, cut))).toBe('Truncated');
    expect(await refusal(bytes.slice(0, -1))).toBe('Truncated');
  });

  test('any one byte changed, anywhere (sealed parts included): refused', async () => {
    const bytes = await encode(buildFeed(['post', 'media', 'edit', 'avatar', 'repost', 'fork', 'post']), {
      key: utf8('{"a backup":"file"}'),
      private: utf8('sealed private state'),
    });
    await fc.assert(
      fc.asyncProperty(fc.nat(bytes.length - 1), fc.integer({ min: 1, max: 255 }), async (at, xor) => {
        const damaged = bytes.slice();
        damaged[at]! ^= xor;
        expect(typeof (await refusal(damaged))).toBe('string');
      }),
      { numRuns: RUNS * 4 },
    );
  });

  test('a forged commit (signed by another key in the feed author`s name): BadSignature', async () => {
    const bytes = await encode(buildFeed(['post', 'post']));
    const { groups: list, join } = groups(bytes);
    const original = decodeFields(list[1]![0]!.payload);
    list[1]![0] = { kind: RECORD.commit, payload: buildSignedUnchecked(original, OTHER_KEY) };
    expect(await refusal(join(list))).toBe('BadSignature');
  });

  test("another pseudonym's commits under this header: WrongAuthor", async () => {
    const bytes = await encode(buildFeed(['post']));
    const list = records(bytes);
    list[0] = {
      kind: RECORD.header,
      payload: encodeFeedFileHeader({ author: pseudonymOf(OTHER_KEY), commits: 1, ts: 0 }),
    };
    expect(await refusal(rebuild(list))).toBe('WrongAuthor');
  });

  test('a post of someone else published in this feed: WrongAuthor', async () => {
    const theirs = buildPost({ author: pseudonymOf(OTHER_KEY), body: 'not yours', ts: T0 });
    const signed = buildCommit(KEY, { parents: [], seq: 1, ts: T0, ops: [{ type: 'post', object: theirs.id }] });
    const header = { author: AUTHOR, commits: 1, ts: NOW };
    const commits = [{ bytes: signed.bytes, blobs: new Map([[theirs.id, theirs.bytes]]) }];
    expect(await refusal(concat(await collect(encodeFeedFile({ header, commits }))))).toBe('WrongAuthor');
  });

  test('a child before its parent: MissingParents', async () => {
    const { groups: list, join } = groups(await encode(buildFeed(['post', 'post', 'post'])));
    expect(await refusal(join([list[0]!, list[2]!, list[1]!]))).toBe('MissingParents');
  });

  test('a named object left out: NotFound; an object nothing names: DecodeError', async () => {
    const { groups: list, join } = groups(await encode(buildFeed(['post', 'post'])));
    expect(await refusal(join([[list[0]![0]!], list[1]!]))).toBe('NotFound');
    const stray = { kind: RECORD.object, payload: list[1]![1]!.payload };
    expect(await refusal(join([[...list[0]!, stray], list[1]!]))).toBe('DecodeError');
  });

  test("an object whose bytes are not its id's (under a good checksum): HashMismatch", async () => {
    const { groups: list, join } = groups(await encode(buildFeed(['post'])));
    const object = list[0]![1]!.payload.slice();
    object[object.length - 3]! ^= 1;
    list[0]![1] = { kind: RECORD.object, payload: object };
    expect(await refusal(join(list))).toBe('HashMismatch');
  });

  test('the wrong commit count, bytes after the end, a huge length, no magic: named', async () => {
    const bytes = await encode(buildFeed(['post', 'post']));
    const list = records(bytes);
    list[0] = { kind: RECORD.header, payload: encodeFeedFileHeader({ author: AUTHOR, commits: 3, ts: 0 }) };
    expect(await refusal(rebuild(list))).toBe('DecodeError');
    expect(await refusal(concat([bytes, Uint8Array.of(0)]))).toBe('DecodeError');
    const huge = concat([FEED_FILE_MAGIC, Uint8Array.of(RECORD.header, 0x7f, 0, 0, 0)]);
    expect(await refusal(huge)).toBe('TooLarge');
    expect(await refusal(utf8('{"murmur":"pseudonym-backup","version":1}'))).toBe('DecodeError');
  });

  test('a commit dated ahead of the reader: FutureTimestamp', async () => {
    const bytes = await encode(buildFeed(['post']));
    const read = readFeedFile(chunked(bytes), { verify, now: T0 - 3_600_000 });
    await expect(collect(read)).rejects.toMatchObject({ name: 'FutureTimestamp' });
  });

  test('a bad signature still in flight at the end record stops the file (no check is skipped)', async () => {
    const { groups: list, join } = groups(await encode(buildFeed(Array.from({ length: 40 }, () => 'post' as const))));
    const last = list.length - 1;
    list[last]![0] = {
      kind: RECORD.commit,
      payload: buildSignedUnchecked(decodeFields(list[last]![0]!.payload), OTHER_KEY),
    };
    expect(await refusal(join(list))).toBe('BadSignature');
  });
});

/** A commit's fields without its signature (to sign them again with another key). */
function decodeFields(bytes: Uint8Array): Record<string, unknown> {
  const { sig: _, ...fields } = JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
  return fields;
}
