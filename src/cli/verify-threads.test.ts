import { describe, expect, test } from 'vitest';
import { fromHex } from '../protocol/bytes.ts';
import { type Verify, nobleVerify, pseudonymOf, secretKeyFrom, sign } from '../protocol/keys.ts';
import { threadedVerify } from './verify-threads.ts';

const keys = [1, 2, 3].map((n) => secretKeyFrom(new Uint8Array(32).fill(n)));

/**
 * Signed messages by several keys. Every third is a forgery that passes the pre-checks (a good signature of
 * another message), so only the Ed25519 equation refuses it; every seventh, a signature that fails them.
 */
function calls(count: number) {
  return Array.from({ length: count }, (_, i) => {
    const secret = keys[i % keys.length]!;
    const message = new TextEncoder().encode(`message ${i} `.repeat(1 + (i % 5)));
    const signature = sign(i % 3 === 0 ? new TextEncoder().encode(`not message ${i}`) : message, secret);
    if (i % 7 === 0) signature.fill(0xff, 32); // S >= L: refused by the pre-checks
    return { signature, message, publicKey: fromHex(pseudonymOf(secret)), good: i % 3 !== 0 && i % 7 !== 0 };
  });
}

/** nobleVerify, counting the calls it is given. */
function counted(): { verify: Verify; calls: () => number } {
  let n = 0;
  return {
    verify: (signature, message, publicKey) => {
      n++;
      return nobleVerify(signature, message, publicKey);
    },
    calls: () => n,
  };
}

describe('threadedVerify', () => {
  test('a large turn is verified on the threads, which refuse every forgery', async () => {
    const local = counted();
    const verify = threadedVerify(local.verify, { threads: 2 });
    const batch = calls(300);
    const results = await Promise.all(batch.map((c) => verify(c.signature, c.message, c.publicKey)));
    expect(results).toEqual(batch.map((c) => c.good));
    expect(local.calls()).toBe(0);
    // And again, on the threads already started.
    const again = await Promise.all(batch.map((c) => verify(c.signature, c.message, c.publicKey)));
    expect(again).toEqual(batch.map((c) => c.good));
  });

  test('a key that is not a point refuses its signatures on a thread', async () => {
    const local = counted();
    const verify = threadedVerify(local.verify, { threads: 1, minBatch: 16 });
    const batch = calls(40);
    // y = 2 is canonical and not of small order, but no x satisfies the curve equation for it.
    const notAPoint = fromHex('0200000000000000000000000000000000000000000000000000000000000000');
    const results = await Promise.all(batch.map((c, i) => verify(c.signature, c.message, i ? c.publicKey : notAPoint)));
    expect(results).toEqual(batch.map((c, i) => i > 0 && c.good));
    expect(local.calls()).toBe(0);
  });

  test("a refresh's heads (a turn of one per follow, here 100) are verified on this thread", async () => {
    const local = counted();
    const verify = threadedVerify(local.verify, { threads: 2 });
    const batch = calls(100).filter((c) => c.signature[63]! !== 0xff); // those the pre-checks pass reach a verifier
    const results = await Promise.all(batch.map((c) => verify(c.signature, c.message, c.publicKey)));
    expect(results).toEqual(batch.map((c) => c.good));
    expect(local.calls()).toBe(batch.length);
  });

  test('a small turn is verified on this thread', async () => {
    const local = counted();
    const verify = threadedVerify(local.verify, { threads: 2 });
    const batch = calls(5).slice(1); // none refused by the pre-checks, so all four reach a verifier
    const results = await Promise.all(batch.map((c) => verify(c.signature, c.message, c.publicKey)));
    expect(results).toEqual(batch.map((c) => c.good));
    expect(local.calls()).toBe(4);
  });
});
