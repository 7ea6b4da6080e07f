/**
 * The mist vectors (vectors/mist.json): objects and commits from fixed seeds,
 * and the invalid cases, each with the error it must raise. A changed vector
 * is a protocol change.
 */
import { describe, expect, test } from 'vitest';
import { utf8 } from './bytes.ts';
import { encodeCanonical } from './canonical.ts';
import { decodeCommit, verifyCommit } from './commits.ts';
import { feedState } from './feed-state.ts';
import { hashBytes } from './ids.ts';
import { type Verify, nobleVerify, webCryptoVerify } from './keys.ts';
import { MIST_LIMITS, checkFileName, checkMistFile, decodeMist, mistIdOf, mistIdOfVersion } from './mists.ts';
import vectors from './vectors/mist.json' with { type: 'json' };
import { thrownName } from './testing/thrown-name.ts';

const VERIFIERS: [string, Verify][] = [
  ['webcrypto', webCryptoVerify(globalThis.crypto.subtle)],
  ['noble', nobleVerify],
];

describe('mist objects', () => {
  for (const c of vectors.objects) {
    test(c.comment, () => {
      const { value, id } = decodeMist(utf8(c.text), c.id as never);
      expect(id).toBe(c.id);
      expect(new TextDecoder().decode(encodeCanonical(value as never))).toBe(c.text);
      expect(mistIdOfVersion(value)).toBe(c.mist);
      expect(checkMistFile(value, utf8(c.file))).toEqual(utf8(c.file));
    });
  }

  test('every version of one mist has its id; the fork has its own; the id is its author’s and origin’s', () => {
    const [first, update, retitled, fork] = vectors.objects.map((c) => decodeMist(utf8(c.text)).value);
    expect(new Set([first, update, retitled].map((v) => mistIdOfVersion(v!))).size).toBe(1);
    expect(mistIdOfVersion(fork!)).not.toBe(mistIdOfVersion(first!));
    expect(fork!.fork_of).toEqual({ author: first!.author, mist: mistIdOfVersion(first!), depth: 1 });
    expect(mistIdOf(fork!.author, first!.content)).not.toBe(mistIdOf(first!.author, first!.content));
  });

  test('a file is checked against its version: one byte changed, or one byte more, is refused', () => {
    const c = vectors.objects[0]!;
    const { value } = decodeMist(utf8(c.text));
    const changed = utf8(c.file);
    changed[0] = changed[0]! ^ 1;
    expect(thrownName(() => checkMistFile(value, changed))).toBe('HashMismatch');
    expect(thrownName(() => checkMistFile(value, utf8(`${c.file} `)))).toBe('HashMismatch');
  });

  test('bytes that do not hash to the expected id are refused before they are read', () => {
    const c = vectors.objects[0]!;
    expect(thrownName(() => decodeMist(utf8(c.text), vectors.objects[1]!.id as never))).toBe('HashMismatch');
  });

  test('file names: the limit counts characters, and ordinary names pass', () => {
    expect(checkFileName(`${'é'.repeat(MIST_LIMITS.nameChars - 3)}.py`)).toHaveLength(MIST_LIMITS.nameChars);
    for (const name of ['README', '.env', 'a.b.c', 'data set (1).csv', 'notes—日本語.md'])
      expect(checkFileName(name)).toBe(name);
  });
});

describe('mist commits', () => {
  for (const c of vectors.commits) {
    test(c.comment, async () => {
      const signed = decodeCommit(utf8(c.text), c.id as never);
      expect(hashBytes(signed.bytes)).toBe(c.id);
      expect(signed.commit.ops).toEqual(c.ops);
      for (const [name, verify] of VERIFIERS) expect([name, await verifyCommit(signed, verify)]).toEqual([name, true]);
    });
  }

  test('the feed state keeps every version and the tombstone for the mist’s id', () => {
    const alice = vectors.commits.slice(0, 4).map((c) => decodeCommit(utf8(c.text)));
    const state = feedState(alice.map((s) => ({ id: s.id, commit: s.commit })));
    expect([...state.mists.keys()].sort()).toEqual(
      [...vectors.objects.slice(0, 3).map((o) => o.id), 'a1'.repeat(32)].sort(),
    );
    expect(state.mists.get('a1'.repeat(32) as never)?.value).toEqual({ sealed: true });
    expect([...state.unmisted]).toEqual([vectors.objects[0]!.mist]);
  });
});

describe('invalid mist vectors', () => {
  for (const c of vectors.invalid) {
    test(`refuses ${c.comment} with ${c.error}`, () => {
      const bytes = utf8(c.text);
      expect(thrownName(() => (c.kind === 'mist' ? decodeMist(bytes) : decodeCommit(bytes)))).toBe(c.error);
    });
  }
});
