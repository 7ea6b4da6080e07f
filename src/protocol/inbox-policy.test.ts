/**
 * Inbox policies: the form every party decodes the same way (each refusal by
 * name), who a policy admits, and what a policy reveals (its tags, salted per
 * policy, name no one and cannot be compared across pseudonyms). The tags are
 * recomputed with node:crypto, which shares no code with inbox-policy.ts.
 */
import { createHash } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { encodeCanonical } from './canonical.ts';
import { ProtocolError } from './errors.ts';
import type { PseudonymId } from './ids.ts';
import {
  INBOX_POLICY_LIMITS,
  admitsSender,
  buildInboxPolicy,
  decodeInboxPolicy,
  verifyInboxPolicy,
} from './inbox-policy.ts';
import { nobleVerify, pseudonymOf, secretKeyFrom } from './keys.ts';
import { buildSigned } from './signed.ts';

const key = (n: number) => secretKeyFrom(new Uint8Array(32).fill(n));
const [alice, bob, carol, dave] = [1, 2, 3, 4].map((n) => pseudonymOf(key(n))) as [
  PseudonymId,
  PseudonymId,
  PseudonymId,
  PseudonymId,
];
const salt = new Uint8Array(16).fill(9);
const TS = 1_700_000_000_000;

function nameOf(run: () => unknown): string {
  try {
    run();
    return 'decoded';
  } catch (error) {
    return error instanceof ProtocolError ? error.name : `not a ProtocolError: ${String(error)}`;
  }
}

/** Alice's policy with these fields, signed (so only the form is wrong). */
function signedWith(fields: Record<string, unknown>): Uint8Array {
  const base = { type: 'inbox_policy', author: alice, mode: 'open', seq: 1, ts: TS };
  return buildSigned({ ...base, ...fields } as never, key(1)).bytes;
}

describe('inbox policy', () => {
  test('a closed policy admits its listed senders and the inbox itself, no one else', () => {
    const { policy } = buildInboxPolicy(key(1), { mode: 'closed', senders: [bob, carol], seq: 1, ts: TS }, salt);
    expect([bob, carol, alice, dave].map((s) => admitsSender(policy, s))).toEqual([true, true, true, false]);
    const expected = [bob, carol].map((s) =>
      createHash('sha256')
        .update(Buffer.concat([salt, Buffer.from(s, 'hex')]))
        .digest()
        .subarray(0, 16)
        .toString('hex'),
    );
    expect(policy.senders).toEqual(expected.sort());
  });

  test('open and public admit anyone and list no one', () => {
    for (const mode of ['open', 'public'] as const) {
      const { policy, bytes } = buildInboxPolicy(key(1), { mode, senders: [bob], seq: 1, ts: TS }, salt);
      expect(admitsSender(policy, dave)).toBe(true);
      expect(policy.senders).toBeUndefined();
      expect(new TextDecoder().decode(bytes)).not.toContain('senders');
    }
  });

  test('the policy names no sender, and two policies listing the same sender share no tag', () => {
    const a = buildInboxPolicy(key(1), { mode: 'allowlist', senders: [bob], seq: 1, ts: TS }, salt);
    const c = buildInboxPolicy(key(3), { mode: 'allowlist', senders: [bob], seq: 1, ts: TS }, new Uint8Array(16));
    expect(new TextDecoder().decode(a.bytes)).not.toContain(bob);
    expect(a.policy.senders![0]).not.toBe(c.policy.senders![0]);
    expect([admitsSender(a.policy, bob), admitsSender(c.policy, bob)]).toEqual([true, true]);
  });

  test('the signature is the author’s: a policy signed by another key is refused', async () => {
    const signed = buildInboxPolicy(key(1), { mode: 'closed', senders: [bob], seq: 2, ts: TS }, salt);
    expect(await verifyInboxPolicy(signed, nobleVerify)).toBe(true);
    const forged = buildSigned({ ...signed.signed.fields }, key(2)).bytes;
    expect(await verifyInboxPolicy(decodeInboxPolicy(forged), nobleVerify)).toBe(false);
  });

  test('malformed policies are refused by name', () => {
    const tag = 'ab'.repeat(16);
    const cases: [string, Uint8Array, string][] = [
      ['unknown mode', signedWith({ mode: 'friends' }), 'InvalidField'],
      ['senders on an open inbox', signedWith({ salt: toHex(salt), senders: [] }), 'InvalidField'],
      ['closed without salt', signedWith({ mode: 'closed', senders: [] }), 'InvalidField'],
      ['closed without senders', signedWith({ mode: 'closed', salt: toHex(salt) }), 'InvalidField'],
      ['a tag not hex', signedWith({ mode: 'closed', salt: toHex(salt), senders: ['zz'.repeat(16)] }), 'InvalidField'],
      [
        'unsorted tags',
        signedWith({ mode: 'closed', salt: toHex(salt), senders: ['cd'.repeat(16), tag] }),
        'InvalidField',
      ],
      ['a repeated tag', signedWith({ mode: 'closed', salt: toHex(salt), senders: [tag, tag] }), 'InvalidField'],
      ['an unknown field', signedWith({ extra: 1 }), 'InvalidField'],
      ['seq 0', signedWith({ seq: 0 }), 'InvalidField'],
      ['not a policy', encodeCanonical({ type: 'head', sig: '00' }), 'DecodeError'],
      ['over the byte limit', new Uint8Array(INBOX_POLICY_LIMITS.bytes + 1), 'TooLarge'],
    ];
    expect(cases.map(([why, bytes]) => [why, nameOf(() => decodeInboxPolicy(bytes))])).toEqual(
      cases.map(([why, , name]) => [why, name]),
    );
  });

  test('more senders than the limit is TooLarge', () => {
    const many = Array.from({ length: INBOX_POLICY_LIMITS.senders + 1 }, (_, i) =>
      i.toString(16).padStart(64, '0'),
    ) as PseudonymId[];
    expect(nameOf(() => buildInboxPolicy(key(1), { mode: 'closed', senders: many, seq: 1, ts: TS }, salt))).toBe(
      'TooLarge',
    );
  });
});

function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}
