import { describe, expect, test } from 'vitest';
import { fromHex, hexEquals, isLowerHex, toHex, utf8 } from './bytes.ts';
import { pseudonymOf, sign, webCryptoVerify } from './keys.ts';
import { encodeCanonical } from './canonical.ts';
import { type Fields, buildSigned, decodeSigned } from './signed.ts';

const key = fromHex('02'.repeat(32));

describe('the signed message cut from the bytes', () => {
  // Multi-byte characters before and after the sig entry move its byte offset away from its text offset.
  const cases: [string, Fields & { type: string }][] = [
    ['ASCII only', { type: 'x', a: 'plain' }],
    ['two-byte and three-byte characters before sig', { type: 'x', a: 'é€', b: ['ü'] }],
    ['a surrogate pair before sig and non-ASCII in a field after it', { type: 'ÿ😀', a: '😀 ok', to: 'ñ' }],
    ['commas and an escaped sig entry in fields after sig', { type: 'x,y', a: ',"sig":"', to: 'a,",\\"sig\\":\\"' }],
  ];
  for (const [title, fields] of cases) {
    test(title, () => {
      const built = buildSigned(fields, key);
      const decoded = decodeSigned(built.bytes, fields.type);
      expect(decoded.message).toEqual(encodeCanonical(fields));
      expect(decoded.sig).toBe(built.sig);
    });
  }
});

describe('signed messages share slabs', () => {
  test('messages cut one after another stay intact, across slabs and beside a large one', () => {
    const records = Array.from({ length: 400 }, (_, i) => ({
      type: 'x',
      n: i,
      pad: 'p'.repeat(i % 7 === 0 ? 20_000 : 300),
    }));
    const decoded = records.map((fields) => decodeSigned(buildSigned(fields, key).bytes, 'x'));
    decoded.forEach((d, i) => {
      expect(d.message).toEqual(encodeCanonical(records[i]));
    });
  });
});

describe('hex helpers on the verify path', () => {
  test('isLowerHex takes lowercase hex of the given length only', () => {
    expect(isLowerHex('0a'.repeat(32), 32)).toBe(true);
    expect(isLowerHex('0A'.repeat(32), 32)).toBe(false);
    expect(isLowerHex('0g'.repeat(32), 32)).toBe(false);
    expect(isLowerHex('0a'.repeat(31), 32)).toBe(false);
    expect(isLowerHex(`${'0a'.repeat(31)}0\u0100`, 32)).toBe(false);
    expect(isLowerHex(42, 32)).toBe(false);
  });

  test('hexEquals compares bytes with their hex without building a string', () => {
    const bytes = Uint8Array.from([0, 1, 0xab, 0xff]);
    expect(hexEquals(bytes, toHex(bytes))).toBe(true);
    expect(hexEquals(bytes, '0001abfe')).toBe(false);
    expect(hexEquals(bytes, '0001ABFF')).toBe(false);
    expect(hexEquals(bytes, '0001abff00')).toBe(false);
  });
});

describe('WebCrypto verify with the last key remembered', () => {
  const keyA = fromHex('03'.repeat(32));
  const keyB = fromHex('04'.repeat(32));
  const message = utf8('the same message');
  // S + L: the same signature with a non-canonical scalar, which the pre-checks refuse.
  const withBigS = (sig: Uint8Array) => {
    const out = sig.slice();
    let carry = 0;
    const l = fromHex('edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010');
    for (let i = 0; i < 32; i++) {
      const sum = out[32 + i]! + l[i]! + carry;
      out[32 + i] = sum & 0xff;
      carry = sum >> 8;
    }
    return out;
  };

  test('still runs the signature pre-checks and compares the whole key', async () => {
    const verify = webCryptoVerify(globalThis.crypto.subtle);
    const [pubA, pubB] = [fromHex(pseudonymOf(keyA)), fromHex(pseudonymOf(keyB))];
    const [sigA, sigB] = [sign(message, keyA), sign(message, keyB)];
    expect(await verify(sigA, message, pubA)).toBe(true); // A is now the remembered key
    expect(await verify(withBigS(sigA), message, pubA)).toBe(false);
    expect(
      await verify(
        sigA.map((b, i) => (i < 32 ? 0 : b)),
        message,
        pubA,
      ),
    ).toBe(false); // R of small order
    expect(await verify(sigB, message, pubA)).toBe(false);
    const nearlyA = pubA.slice();
    nearlyA[31]! ^= 1;
    expect(await verify(sigA, message, nearlyA)).toBe(false);
    expect(await verify(sigB, message, pubB)).toBe(true);
    expect(await verify(sigA, message, pubA)).toBe(true);
    expect(await verify(sigA, utf8('another message'), pubA)).toBe(false);
  });
});
