/**
 * The hive vectors (vectors/hive.json): objects and signed commits of one
 * small hive from fixed seeds, the view a reader computes from them, and the
 * invalid cases, each with the error it must raise. The file is checked
 * against its recomputation (testing/hive-vectors.ts): a changed vector is a
 * protocol change. MURMUR_WRITE_VECTORS=1 rewrites it.
 */
import { writeFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { fromHex, utf8 } from './bytes.ts';
import { encodeCanonical } from './canonical.ts';
import { blobRolesOf } from './blob-roles.ts';
import { buildDelegation } from './agents.ts';
import { buildCommit, decodeCommit, objectIdsOf, verifyCommit } from './commits.ts';
import { deriveHiveKey } from './hive-key.ts';
import { HIVE_OP_TYPES } from './hive-ops.ts';
import { type HiveEntry, hiveState } from './hive-state.ts';
import { decodeHiveComment, decodeHiveObject, decodeHivePost, decodeHiveSettings } from './hives.ts';
import type { ObjectId, PseudonymId } from './ids.ts';
import { type Verify, nobleVerify, pseudonymOf, webCryptoVerify } from './keys.ts';
import { buildHiveVectors } from './testing/hive-vectors.ts';
import vectors from './vectors/hive.json' with { type: 'json' };
import { thrownName } from './testing/thrown-name.ts';

const VERIFIERS: [string, Verify][] = [
  ['webcrypto', webCryptoVerify(globalThis.crypto.subtle)],
  ['noble', nobleVerify],
];
const DECODERS = { hive: decodeHiveSettings, hive_post: decodeHivePost, hive_comment: decodeHiveComment } as const;

if (process.env.MURMUR_WRITE_VECTORS === '1')
  writeFileSync(new URL('./vectors/hive.json', import.meta.url), `${JSON.stringify(buildHiveVectors(), null, 2)}\n`);

test('the file is what the code makes from the seeds, byte for byte', () => {
  expect(JSON.parse(JSON.stringify(buildHiveVectors()))).toEqual(vectors);
});

test('the hive id is the key derived from the owner’s seed and the charter’s nonce', () => {
  expect(deriveHiveKey(fromHex(vectors.seeds.owner), vectors.nonce).hive).toBe(vectors.authors.hive);
});

describe('hive objects', () => {
  for (const c of vectors.objects) {
    test(c.comment, () => {
      const bytes = utf8(c.text);
      const { value, id } = DECODERS[c.kind as keyof typeof DECODERS](bytes, c.id as ObjectId);
      expect(id).toBe(c.id);
      expect(value.type).toBe(c.kind);
      expect(new TextDecoder().decode(encodeCanonical(value))).toBe(c.text);
      expect(decodeHiveObject(bytes, c.id as ObjectId).value).toEqual(value);
    });
  }

  test('bytes that do not hash to the expected id are refused before they are read', () => {
    const [first, second] = vectors.objects;
    expect(thrownName(() => decodeHiveObject(utf8(first!.text), second!.id as ObjectId))).toBe('HashMismatch');
  });

  test('a post object is none of the hive objects’ kinds', () => {
    const post = `{"author":"${vectors.authors.member}","body":"hi","ts":1,"type":"post"}`;
    expect(thrownName(() => decodeHiveObject(utf8(post)))).toBe('DecodeError');
  });
});

describe('hive commits', () => {
  for (const c of vectors.commits) {
    test(c.comment, async () => {
      const signed = decodeCommit(utf8(c.text), c.id as never);
      expect(signed.commit.ops).toEqual(c.ops);
      for (const [name, verify] of VERIFIERS) expect([name, await verifyCommit(signed, verify)]).toEqual([name, true]);
    });
  }

  test('the objects a hive commit names travel with it, and a feed’s walk fetches them, checked by hash', () => {
    let named = 0;
    for (const c of vectors.commits) {
      const { commit } = decodeCommit(utf8(c.text));
      const roles = commit.ops.flatMap(blobRolesOf);
      expect(roles.map(([id]) => id)).toEqual(objectIdsOf(commit));
      expect(roles.every(([, role]) => role === 'blob')).toBe(true);
      named += roles.length;
    }
    expect(named).toBe(7);
  });

  test(vectors.view.comment, () => {
    const objects = new Map(vectors.objects.map((o) => [o.id, decodeHiveObject(utf8(o.text), o.id as ObjectId)]));
    const entries = vectors.commits.flatMap(({ text }): HiveEntry[] => {
      const { id, commit } = decodeCommit(utf8(text));
      return commit.ops.map((op, index) => {
        const object = 'object' in op ? objects.get(op.object)?.value : undefined;
        return { author: commit.author, commit: id, ts: commit.ts, index, op, ...(object && { object }) };
      });
    });
    const state = hiveState(vectors.authors.hive as PseudonymId, entries);
    if (!state.exists) throw new Error('expected a hive');
    const { view } = vectors;
    expect(state.owner).toBe(view.owner);
    expect(state.settings).toEqual(view.settings);
    expect(state.moderators).toEqual(view.moderators);
    expect(state.posts.map((p) => ({ id: p.id, votes: p.votes }))).toEqual(view.posts);
    expect(state.comments.map((c) => c.id)).toEqual(view.comments);
    expect(state.log.map((l) => l.action)).toEqual(view.log);
    expect(state.refusals).toEqual([]);
  });
});

test('a moderator may run an agent delegated the hive ops; its commits speak for the moderator', async () => {
  const agentKey = fromHex('05'.repeat(32));
  const delegation = buildDelegation(fromHex(vectors.seeds.moderator), {
    agent: pseudonymOf(agentKey),
    scope: HIVE_OP_TYPES,
    expires: 2 ** 47,
  });
  const hive = vectors.authors.hive as PseudonymId;
  const signed = buildCommit(agentKey, {
    parents: [],
    seq: 1,
    ts: 1767225600000,
    ops: [{ type: 'hive_remove', hive, target: vectors.objects[4]!.id as ObjectId, reason: 'spam' }],
    agent: { id: pseudonymOf(agentKey), model: 'mod-bot', delegation },
  });
  expect(signed.commit.author).toBe(vectors.authors.moderator);
  for (const [name, verify] of VERIFIERS) expect([name, await verifyCommit(signed, verify)]).toEqual([name, true]);
});

describe('invalid hive vectors', () => {
  for (const c of vectors.invalid) {
    test(`refuses ${c.comment} with ${c.error}`, () => {
      const bytes = utf8(c.text);
      const decode = c.kind === 'commit' ? decodeCommit : DECODERS[c.kind as keyof typeof DECODERS];
      expect(thrownName(() => decode(bytes))).toBe(c.error);
    });
  }
});
