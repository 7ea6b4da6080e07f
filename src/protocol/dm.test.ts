/** Direct messages: the committed vectors (exact bytes, each refusal by name) and the seal's promises. */
import { xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import { x25519 } from '@noble/curves/ed25519.js';
import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { describe, expect, test } from 'vitest';
import { fromHex, toHex, utf8 } from './bytes.ts';
import { decodeCanonical } from './canonical.ts';
import { dmPublicKeyOf, dmSecretOf, openDm, sealDm } from './dm.ts';
import { ProtocolError } from './errors.ts';
import type { PseudonymId } from './ids.ts';
import { nobleVerify, pseudonymOf } from './keys.ts';
import vectors from './vectors/dm.json' with { type: 'json' };

const verify = nobleVerify;
const [alice, bob, carol] = [vectors.keys.alice, vectors.keys.bob, vectors.keys.carol].map(fromHex) as [
  Uint8Array,
  Uint8Array,
  Uint8Array,
];
const random = () => ({
  ephemeral: crypto.getRandomValues(new Uint8Array(32)),
  nonce: crypto.getRandomValues(new Uint8Array(24)),
});

async function refusal(run: () => Promise<unknown>): Promise<string> {
  try {
    await run();
  } catch (error) {
    expect(error).toBeInstanceOf(ProtocolError);
    return (error as ProtocolError).name;
  }
  return 'accepted';
}

describe('dm vectors', () => {
  for (const c of vectors.valid) {
    test(c.comment, async () => {
      const sender = fromHex(c.sender);
      const recipient = fromHex(c.recipient);
      expect(dmPublicKeyOf(sender)).toBe(c.senderDmKey);
      expect(dmPublicKeyOf(recipient)).toBe(c.recipientDmKey);
      const sealed = sealDm(
        sender,
        { to: pseudonymOf(recipient), toKey: c.recipientDmKey, body: c.body, ts: c.ts, hubs: c.hubs },
        { ephemeral: fromHex(c.ephemeral), nonce: fromHex(c.nonce) },
      );
      expect(toHex(sealed.bytes)).toBe(c.hex);
      expect(sealed.id).toBe(c.id);
      const opened = await openDm(fromHex(c.hex), recipient, verify, { from: pseudonymOf(sender) });
      expect(opened).toEqual({
        from: pseudonymOf(sender),
        to: pseudonymOf(recipient),
        body: c.body,
        ts: c.ts,
        hubs: c.hubs,
        from_key: c.senderDmKey,
        to_key: c.recipientDmKey,
        epk: toHex(x25519.getPublicKey(fromHex(c.ephemeral))),
      });
    });

    test(`${c.comment}: the same bytes from the primitives, written out independently`, () => {
      const epk = x25519.getPublicKey(fromHex(c.ephemeral));
      const toKey = fromHex(c.recipientDmKey);
      const bytes = fromHex(c.hex);
      const salt = new Uint8Array([...epk, ...toKey]);
      const key = hkdf(sha256, x25519.getSharedSecret(fromHex(c.ephemeral), toKey), salt, utf8('murmur dm v1'), 32);
      const plaintext = xchacha20poly1305(key, fromHex(c.nonce), bytes.subarray(0, 60)).decrypt(bytes.subarray(60));
      expect(decodeCanonical(plaintext)).toMatchObject({
        type: 'dm',
        body: c.body,
        epk: toHex(epk),
        to_key: c.recipientDmKey,
      });
    });
  }
  for (const c of vectors.invalid) {
    test(`refuses ${c.comment} with ${c.error}`, async () => {
      const expected = 'expectedFrom' in c ? { from: c.expectedFrom as PseudonymId } : {};
      expect(await refusal(() => openDm(fromHex(c.hex), fromHex(c.recipient), verify, expected))).toBe(c.error);
    });
  }
});

describe('sealing', () => {
  test('the DM key is derived from the pseudonym key and differs from it', () => {
    expect(dmSecretOf(alice)).toEqual(dmSecretOf(alice.slice()));
    expect(toHex(dmSecretOf(alice))).not.toBe(toHex(alice));
    expect(dmPublicKeyOf(alice)).not.toBe(dmPublicKeyOf(bob));
    expect(dmPublicKeyOf(alice)).not.toBe(pseudonymOf(alice));
  });

  test('the sealed bytes hold neither the body nor either pseudonym', () => {
    const body = 'meet at the old mill at nine';
    const { bytes } = sealDm(
      alice,
      { to: pseudonymOf(bob), toKey: dmPublicKeyOf(bob), body, ts: 1, hubs: [] },
      random(),
    );
    const text = new TextDecoder('latin1').decode(bytes);
    expect(text).not.toContain('old mill');
    expect(toHex(bytes)).not.toContain(pseudonymOf(alice));
    expect(toHex(bytes)).not.toContain(pseudonymOf(bob));
    expect(toHex(bytes)).not.toContain(dmPublicKeyOf(bob));
  });

  test('two seals of the same message differ (fresh ephemeral key and nonce) and both open', async () => {
    const fields = {
      to: pseudonymOf(bob),
      toKey: dmPublicKeyOf(bob),
      body: 'same',
      ts: 5,
      hubs: ['https://hub.example'],
    };
    const [a, b] = [sealDm(alice, fields, random()), sealDm(alice, fields, random())];
    expect(a.id).not.toBe(b.id);
    expect((await openDm(a.bytes, bob, verify)).body).toBe('same');
    expect((await openDm(b.bytes, bob, verify)).body).toBe('same');
  });

  test('every single changed byte is refused by name, never opened', async () => {
    const { bytes } = sealDm(
      alice,
      { to: pseudonymOf(bob), toKey: dmPublicKeyOf(bob), body: 'x', ts: 5, hubs: [] },
      random(),
    );
    for (let i = 0; i < bytes.length; i++) {
      const changed = bytes.slice();
      changed[i]! ^= 0x01;
      expect(['Undecryptable', 'DecodeError']).toContain(await refusal(() => openDm(changed, bob, verify)));
    }
  });

  test("the sender cannot read back a message sealed to someone else, and carol cannot read bob's", async () => {
    const { bytes } = sealDm(
      alice,
      { to: pseudonymOf(bob), toKey: dmPublicKeyOf(bob), body: 'x', ts: 5, hubs: [] },
      random(),
    );
    expect(await refusal(() => openDm(bytes, alice, verify))).toBe('Undecryptable');
    expect(await refusal(() => openDm(bytes, carol, verify))).toBe('Undecryptable');
  });

  test('bad input is a named error or a RangeError', () => {
    const to = pseudonymOf(bob);
    expect(() => sealDm(alice, { to, toKey: 'AB', body: 'x', ts: 1, hubs: [] }, random())).toThrow(
      expect.objectContaining({ name: 'MalformedId' }),
    );
    expect(() => sealDm(alice, { to, toKey: dmPublicKeyOf(bob), body: '  ', ts: 1, hubs: [] }, random())).toThrow(
      expect.objectContaining({ name: 'InvalidField' }),
    );
    expect(() =>
      sealDm(alice, { to, toKey: dmPublicKeyOf(bob), body: 'y'.repeat(4097), ts: 1, hubs: [] }, random()),
    ).toThrow(expect.objectContaining({ name: 'InvalidField' }));
    expect(() =>
      sealDm(alice, { to, toKey: dmPublicKeyOf(bob), body: 'x', ts: 1, hubs: ['ftp://x'] }, random()),
    ).toThrow(expect.objectContaining({ name: 'InvalidField' }));
    expect(() =>
      sealDm(
        alice,
        { to, toKey: dmPublicKeyOf(bob), body: 'x', ts: 1, hubs: [] },
        { ephemeral: new Uint8Array(31), nonce: new Uint8Array(24) },
      ),
    ).toThrow(RangeError);
  });
});
