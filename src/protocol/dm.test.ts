/**
 * Direct messages: the committed vectors (exact bytes, each refusal by name)
 * and the seal's promises. dm.json is also recomputed and read by a
 * reference below that shares no code with dm.ts: node:crypto (X25519, HKDF,
 * Ed25519), libsodium (XChaCha20-Poly1305) and canonicalize (RFC 8785).
 */
import {
  type KeyObject,
  createHash,
  createPrivateKey,
  createPublicKey,
  diffieHellman,
  hkdfSync,
  verify as nodeVerify,
  sign as nodeSign,
} from 'node:crypto';
import { x25519 } from '@noble/curves/ed25519.js';
import canonicalize from 'canonicalize';
import sodium from 'libsodium-wrappers';
import { describe, expect, test } from 'vitest';
import { fromHex, toHex } from './bytes.ts';
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

/* The reference: PROTOCOL.md's "Direct messages" written out again with other implementations. */
const der = (prefix: string, raw: string | Uint8Array) => Buffer.concat([Buffer.from(prefix, 'hex'), Buffer.from(raw)]);
const secretKey = (curve: 'ed25519' | 'x25519', seed: string | Uint8Array): KeyObject =>
  createPrivateKey({
    key: der(curve === 'ed25519' ? '302e020100300506032b657004220420' : '302e020100300506032b656e04220420', seed),
    format: 'der',
    type: 'pkcs8',
  });
const publicOf = (key: KeyObject) => createPublicKey(key).export({ format: 'der', type: 'spki' }).subarray(12);
const publicKey = (curve: 'ed25519' | 'x25519', raw: string | Uint8Array): KeyObject =>
  createPublicKey({
    key: der(curve === 'ed25519' ? '302a300506032b6570032100' : '302a300506032b656e032100', raw),
    format: 'der',
    type: 'spki',
  });
const hexOf = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const hkdf32 = (ikm: Uint8Array, salt: Uint8Array | string, info: string) =>
  new Uint8Array(hkdfSync('sha256', ikm, salt, info, 32));
const dmSecret = (seed: string) => secretKey('x25519', hkdf32(Buffer.from(seed, 'hex'), 'murmur dm key v1', 'x25519'));
/** The AEAD key of a seal: HKDF over X25519(mine, theirs), salt epk || to_key. */
const sealKey = (mine: KeyObject, theirs: Uint8Array, epk: Uint8Array, toKey: Uint8Array) =>
  hkdf32(
    diffieHellman({ privateKey: mine, publicKey: publicKey('x25519', theirs) }),
    Buffer.concat([epk, toKey]),
    'murmur dm v1',
  );

/** A valid case's sealed bytes, in hex. */
async function referenceSeal(c: (typeof vectors.valid)[number]): Promise<string> {
  await sodium.ready;
  const ephemeral = secretKey('x25519', Buffer.from(c.ephemeral, 'hex'));
  const [epk, toKey] = [publicOf(ephemeral), Buffer.from(c.recipientDmKey, 'hex')];
  const fields = {
    type: 'dm',
    from: hexOf(publicOf(secretKey('ed25519', Buffer.from(c.sender, 'hex')))),
    to: hexOf(publicOf(secretKey('ed25519', Buffer.from(c.recipient, 'hex')))),
    from_key: hexOf(publicOf(dmSecret(c.sender))),
    to_key: hexOf(publicOf(dmSecret(c.recipient))),
    epk: hexOf(epk),
    body: c.body,
    ts: c.ts,
    hubs: c.hubs,
  };
  const sig = hexOf(
    nodeSign(null, Buffer.from(canonicalize(fields)!), secretKey('ed25519', Buffer.from(c.sender, 'hex'))),
  );
  const header = Buffer.concat([Buffer.from('mdm1'), epk, Buffer.from(c.nonce, 'hex')]);
  const key = sealKey(ephemeral, toKey, epk, toKey);
  const plaintext = Buffer.from(canonicalize({ ...fields, sig })!);
  return (
    hexOf(header) +
    hexOf(sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(plaintext, header, null, header.subarray(36), key))
  );
}

const DM_FIELDS = ['body', 'epk', 'from', 'from_key', 'hubs', 'sig', 'to', 'to_key', 'ts', 'type'];

/** What the reader of `hex` (the recipient's seed) concludes: 'accepted' or the error PROTOCOL.md names. */
async function referenceOpen(hex: string, recipient: string, expectedFrom?: string): Promise<string> {
  await sodium.ready;
  const bytes = Buffer.from(hex, 'hex');
  if (bytes.length > 32 * 1024) return 'TooLarge';
  if (bytes.length < 60 + 16 || bytes.subarray(0, 4).toString() !== 'mdm1') return 'DecodeError';
  const [header, epk, nonce] = [bytes.subarray(0, 60), bytes.subarray(4, 36), bytes.subarray(36, 60)];
  const mine = dmSecret(recipient);
  let text: string;
  try {
    const key = sealKey(mine, epk, epk, publicOf(mine));
    text = Buffer.from(
      sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(null, bytes.subarray(60), header, nonce, key),
    ).toString();
  } catch (error) {
    // Only the authentication failure is a refusal; any other throw fails the test.
    expect((error as Error).message).toBe('ciphertext cannot be decrypted using that key');
    return 'Undecryptable';
  }
  const record = JSON.parse(text) as Record<string, unknown>;
  if (canonicalize(record) !== text) return 'NonCanonical';
  if (record.type !== 'dm') return 'DecodeError';
  if (Object.keys(record).sort().join() !== DM_FIELDS.join()) return 'InvalidField';
  const { sig, ...fields } = record as Record<string, string>;
  const signed = Buffer.from(canonicalize(fields)!);
  if (!nodeVerify(null, signed, publicKey('ed25519', Buffer.from(fields.from!, 'hex')), Buffer.from(sig!, 'hex')))
    return 'BadSignature';
  if (fields.epk !== hexOf(epk)) return 'Resealed';
  const me = hexOf(publicOf(secretKey('ed25519', Buffer.from(recipient, 'hex'))));
  if (fields.to !== me || fields.to_key !== hexOf(publicOf(mine))) return 'WrongRecipient';
  if (expectedFrom !== undefined && fields.from !== expectedFrom) return 'WrongSender';
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

    test(`${c.comment}: the same bytes from node:crypto, libsodium and canonicalize`, async () => {
      const sealed = await referenceSeal(c);
      expect(sealed).toBe(c.hex);
      expect(createHash('sha256').update(Buffer.from(sealed, 'hex')).digest('hex')).toBe(c.id);
      expect(await referenceOpen(c.hex, c.recipient)).toBe('accepted');
    });
  }
  for (const c of vectors.invalid) {
    test(`refuses ${c.comment} with ${c.error}`, async () => {
      const expected = 'expectedFrom' in c ? { from: c.expectedFrom as PseudonymId } : {};
      expect(await refusal(() => openDm(fromHex(c.hex), fromHex(c.recipient), verify, expected))).toBe(c.error);
    });
    test(`the reference reader refuses ${c.comment} with ${c.error}`, async () => {
      expect(await referenceOpen(c.hex, c.recipient, 'expectedFrom' in c ? c.expectedFrom : undefined)).toBe(c.error);
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
