/**
 * Audiences: the committed vectors (exact bytes from a fixed random stream,
 * each refusal by name), the envelope's size promise, and audience.json
 * opened again by a reference that shares no code with audience.ts or
 * @noble: node:crypto (HKDF, X25519) and libsodium (XChaCha20-Poly1305).
 */
import { type KeyObject, createPrivateKey, createPublicKey, diffieHellman, hkdfSync } from 'node:crypto';
import { sha256 } from '@noble/hashes/sha2.js';
import sodium from 'libsodium-wrappers';
import { describe, expect, test } from 'vitest';
import {
  ENVELOPE_HEADER_BYTES,
  MAX_ENVELOPE_SLOTS,
  SLOT_BYTES,
  type SealedAudience,
  bucketOf,
  envelopeLength,
  linkFragment,
  openEnvelope,
  openSealedObject,
  openWithEnvelope,
  openWithLink,
  parseLinkFragment,
  sealForAudience,
} from './audience.ts';
import { fromHex, toHex, utf8 } from './bytes.ts';
import { ProtocolError } from './errors.ts';
import type { PseudonymId } from './ids.ts';
import vectors from './vectors/audience.json' with { type: 'json' };

type Person = keyof typeof vectors.keys;
const secretOf = (name: string) => fromHex(vectors.keys[name as Person].secretKey);
const dmKeyOf = (name: string) => vectors.keys[name as Person].dmKey;

function errorName(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof ProtocolError) return error.name;
    throw error;
  }
  return 'accepted';
}

/** Replays a recorded stream, and fails when the code draws more or less than was recorded. */
function replay(hex: string) {
  const stream = fromHex(hex);
  let at = 0;
  const random = (n: number) => {
    if (at + n > stream.length) throw new Error('drew past the recorded stream');
    at += n;
    return stream.slice(at - n, at);
  };
  return { random, drawnAll: () => at === stream.length };
}

/** A fixed pseudo-random stream (sha256 of a label and a counter): deterministic tests of random-looking output. */
function seeded(label: string) {
  let counter = 0;
  return (n: number) => {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i += 32) out.set(sha256(utf8(`${label} ${counter++}`)).subarray(0, Math.min(32, n - i)), i);
    return out;
  };
}

const audienceOf = (c: (typeof vectors.valid)[number]): SealedAudience =>
  c.audience === 'allowlist'
    ? { kind: 'allowlist', readers: c.readers.map((name) => vectors.keys[name as Person].pseudonym as PseudonymId) }
    : { kind: c.audience as 'followers' | 'link' };

describe('valid', () => {
  for (const c of vectors.valid) {
    test(c.comment, () => {
      const { random, drawnAll } = replay(c.random);
      const readerKeys = c.audience === 'link' ? [] : c.readers.map(dmKeyOf);
      const out = sealForAudience(
        audienceOf(c),
        fromHex(c.plaintext),
        { authorKey: dmKeyOf('author'), readerKeys },
        random,
      );
      expect(drawnAll()).toBe(true);
      expect(toHex(out.sealed)).toBe(c.sealed);
      if (c.envelope === undefined) {
        expect(out.envelope).toBeUndefined();
        expect(linkFragment(out.linkSecret!)).toBe(c.fragment);
        expect(toHex(openWithLink(fromHex(c.sealed), parseLinkFragment(c.fragment!)))).toBe(c.plaintext);
        return;
      }
      expect(toHex(out.envelope!)).toBe(c.envelope);
      for (const reader of ['author', ...c.readers]) {
        const opened = openWithEnvelope(fromHex(c.sealed), fromHex(c.envelope), secretOf(reader));
        expect(toHex(opened), reader).toBe(c.plaintext);
      }
      expect(errorName(() => openEnvelope(fromHex(c.envelope!), secretOf('outsider')))).toBe('NotAReader');
    });
  }
});

describe('invalid', () => {
  for (const c of vectors.invalid) {
    test(`${c.comment}: ${c.error}`, () => {
      const refusal = errorName(() => {
        if (c.open === 'envelope')
          return openWithEnvelope(fromHex(c.sealed!), fromHex(c.envelope!), secretOf(c.reader!));
        if (c.open === 'link') return openWithLink(fromHex(c.sealed!), fromHex(c.linkSecret!));
        if (c.open === 'contentKey') return openSealedObject(fromHex(c.contentKey!), fromHex(c.sealed!));
        if (c.open === 'fragment') return parseLinkFragment(c.fragment!);
        // Distinct well-formed keys; the count is refused before any of them is used.
        const readerKeys = Array.from({ length: c.readerCount! }, (_, i) => (i + 1).toString(16).padStart(64, '0'));
        return sealForAudience(
          { kind: 'followers' },
          utf8('{}'),
          { authorKey: dmKeyOf('author'), readerKeys },
          seeded(''),
        );
      });
      expect(refusal).toBe(c.error);
    });
  }

  test('every single-bit change of a sealed post past its magic is Undecryptable; of an envelope, NotAReader', () => {
    const c = vectors.valid[1]!;
    const [sealed, envelope, ana] = [fromHex(c.sealed), fromHex(c.envelope!), secretOf('ana')];
    for (let i = 4; i < sealed.length; i++) {
      const changed = sealed.slice();
      changed[i]! ^= 0x80;
      expect(
        errorName(() => openWithEnvelope(changed, envelope, ana)),
        `sealed byte ${i}`,
      ).toBe('Undecryptable');
    }
    const anaOpens = (bytes: Uint8Array) => errorName(() => openEnvelope(bytes, ana));
    const slotsAnaCannotLose = [];
    for (let i = 4; i < envelope.length; i++) {
      const changed = envelope.slice();
      changed[i]! ^= 0x80;
      // A change in the author's slot does not concern ana; everywhere else (magic aside) it must refuse.
      if (anaOpens(changed) === 'accepted') slotsAnaCannotLose.push(i);
      else expect(anaOpens(changed), `envelope byte ${i}`).toBe('NotAReader');
    }
    expect(slotsAnaCannotLose).toHaveLength(SLOT_BYTES);
  });

  test('misuse: reader keys for a link, a short random stream, a malformed key', () => {
    const keys = { authorKey: dmKeyOf('author'), readerKeys: [dmKeyOf('ana')] };
    expect(() => sealForAudience({ kind: 'link' }, utf8('{}'), keys, seeded('a'))).toThrow(RangeError);
    expect(() => sealForAudience({ kind: 'followers' }, utf8('{}'), keys, () => new Uint8Array(1))).toThrow(RangeError);
    const bad = { authorKey: dmKeyOf('author'), readerKeys: ['AB'.repeat(32)] };
    expect(errorName(() => sealForAudience({ kind: 'followers' }, utf8('{}'), bad, seeded('a')))).toBe('MalformedId');
  });

  test('an envelope whose epk is a low-order point opens for no one: NotAReader', () => {
    const envelope = fromHex(vectors.valid[0]!.envelope!);
    envelope.fill(0, 4, ENVELOPE_HEADER_BYTES);
    expect(errorName(() => openEnvelope(envelope, secretOf('ana')))).toBe('NotAReader');
  });

  test('a follower publishing a low-order DM key is refused by name, the key in the context', () => {
    const lowOrder = '00'.repeat(32);
    const keys = { authorKey: dmKeyOf('author'), readerKeys: [dmKeyOf('ana'), lowOrder] };
    try {
      sealForAudience({ kind: 'followers' }, utf8('{}'), keys, seeded('low'));
      expect.unreachable('sealed to a low-order key');
    } catch (error) {
      expect(error).toBeInstanceOf(ProtocolError);
      expect([(error as ProtocolError).name, (error as ProtocolError).context.dmKey]).toEqual([
        'MalformedId',
        lowOrder,
      ]);
    }
  });
});

describe('the envelope tells the readers only up to a bucket', () => {
  const randomKey = seeded('reader keys');
  const keys = Array.from({ length: MAX_ENVELOPE_SLOTS }, () => toHex(randomKey(32)));

  test('for each bucket, the length is header + bucket * 48 whatever the count within it', () => {
    for (let bucket = 1; bucket <= MAX_ENVELOPE_SLOTS; bucket *= 2) {
      // The smallest and largest counts of slots in the bucket (the author's is one of them).
      for (const slots of new Set([Math.floor(bucket / 2) + 1, bucket])) {
        const readerKeys = keys.slice(0, slots - 1);
        const { envelope } = sealForAudience(
          { kind: 'followers' },
          utf8('{}'),
          { authorKey: dmKeyOf('author'), readerKeys },
          seeded(`${bucket} ${slots}`),
        );
        expect(bucketOf(slots)).toBe(bucket);
        expect(envelope!.length, `${slots} slots`).toBe(ENVELOPE_HEADER_BYTES + bucket * SLOT_BYTES);
        expect(envelope!.length).toBe(envelopeLength(bucket));
      }
    }
    expect(errorName(() => bucketOf(MAX_ENVELOPE_SLOTS + 1))).toBe('TooLarge');
  });

  test("a key listed twice (the author's own, a reader's) gets one slot", () => {
    const keysTwice = { authorKey: dmKeyOf('author'), readerKeys: [dmKeyOf('author'), dmKeyOf('ana'), dmKeyOf('ana')] };
    const { envelope } = sealForAudience({ kind: 'followers' }, utf8('{}'), keysTwice, seeded('twice'));
    expect(envelope!.length).toBe(envelopeLength(2));
  });

  test("the shuffle moves the author's slot: neither first nor last always", () => {
    const random = seeded('shuffle');
    const positions = Array.from({ length: 64 }, () => {
      const keys4 = { authorKey: dmKeyOf('author'), readerKeys: [dmKeyOf('ana'), dmKeyOf('ben'), dmKeyOf('cy')] };
      const { envelope } = sealForAudience({ kind: 'followers' }, utf8('{}'), keys4, random);
      // The slot whose change stops the author opening it.
      return [0, 1, 2, 3].find((slot) => {
        const changed = envelope!.slice();
        changed[ENVELOPE_HEADER_BYTES + slot * SLOT_BYTES]! ^= 1;
        return errorName(() => openEnvelope(changed, secretOf('author'))) === 'NotAReader';
      });
    });
    expect(new Set(positions)).toEqual(new Set([0, 1, 2, 3]));
  });

  test('a fresh content key per post: a reader removed later still opens the earlier post, not the later one', () => {
    const random = seeded('removal');
    const before = { authorKey: dmKeyOf('author'), readerKeys: [dmKeyOf('ana'), dmKeyOf('ben')] };
    const after = { authorKey: dmKeyOf('author'), readerKeys: [dmKeyOf('ben')] };
    const first = sealForAudience({ kind: 'followers' }, utf8('{"n":1}'), before, random);
    const second = sealForAudience({ kind: 'followers' }, utf8('{"n":1}'), after, random);
    expect(toHex(first.sealed)).not.toBe(toHex(second.sealed));
    expect(openWithEnvelope(first.sealed, first.envelope!, secretOf('ana'))).toEqual(utf8('{"n":1}'));
    expect(errorName(() => openWithEnvelope(second.sealed, second.envelope!, secretOf('ana')))).toBe('NotAReader');
    // Ana's key from the first post does not open the second: the key is the post's, not the audience's.
    const anasKey = openEnvelope(first.envelope!, secretOf('ana'));
    expect(errorName(() => openSealedObject(anasKey, second.sealed))).toBe('Undecryptable');
  });
});

/* The reference: PROTOCOL.md's "Audiences" written out again with node:crypto and libsodium. */
const der = (prefix: string, raw: Uint8Array) => Buffer.concat([Buffer.from(prefix, 'hex'), Buffer.from(raw)]);
const hkdf32 = (ikm: Uint8Array, salt: Uint8Array | string, info: string) =>
  new Uint8Array(hkdfSync('sha256', ikm, salt, info, 32));
const x25519Secret = (raw: Uint8Array): KeyObject =>
  createPrivateKey({ key: der('302e020100300506032b656e04220420', raw), format: 'der', type: 'pkcs8' });
const x25519Public = (raw: Uint8Array): KeyObject =>
  createPublicKey({ key: der('302a300506032b656e032100', raw), format: 'der', type: 'spki' });

/** The content key in an envelope for the pseudonym seed, or undefined when no slot opens. */
function referenceContentKey(envelope: Uint8Array, seed: Uint8Array): Uint8Array | undefined {
  const dmSecret = x25519Secret(hkdf32(seed, 'murmur dm key v1', 'x25519'));
  const myKey = createPublicKey(dmSecret).export({ format: 'der', type: 'spki' }).subarray(12);
  const epk = envelope.subarray(4, 36);
  const shared = diffieHellman({ privateKey: dmSecret, publicKey: x25519Public(epk) });
  const key = hkdf32(shared, Buffer.concat([epk, myKey]), 'murmur audience key v1');
  for (let at = 36; at < envelope.length; at += 48) {
    try {
      const slot = envelope.subarray(at, at + 48);
      return sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(
        null,
        slot,
        envelope.subarray(0, 36),
        new Uint8Array(24),
        key,
      );
    } catch {
      // another reader's slot, or filler
    }
  }
  return undefined;
}

const referenceOpen = (sealed: Uint8Array, contentKey: Uint8Array) =>
  sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(
    null,
    sealed.subarray(28),
    sealed.subarray(0, 28),
    sealed.subarray(4, 28),
    contentKey,
  );

describe('audience.json opened with node:crypto and libsodium', () => {
  test('every reader of each envelope case finds the content key and the plaintext; the outsider no slot', async () => {
    await sodium.ready;
    for (const c of vectors.valid.filter((v) => v.envelope !== undefined)) {
      const envelope = fromHex(c.envelope!);
      for (const reader of ['author', ...c.readers]) {
        const contentKey = referenceContentKey(envelope, secretOf(reader));
        expect(contentKey, `${c.comment}: ${reader}`).toBeDefined();
        expect(toHex(referenceOpen(fromHex(c.sealed), contentKey!))).toBe(c.plaintext);
      }
      expect(referenceContentKey(envelope, secretOf('outsider'))).toBeUndefined();
    }
  });

  test('the link case: fragment = base64url(secret), key = HKDF(secret, "murmur link v1")', async () => {
    await sodium.ready;
    const c = vectors.valid.find((v) => v.audience === 'link')!;
    expect(c.fragment).toBe(`#k=${Buffer.from(c.linkSecret!, 'hex').toString('base64url')}`);
    const contentKey = hkdf32(fromHex(c.linkSecret!), new Uint8Array(0), 'murmur link v1');
    expect(toHex(referenceOpen(fromHex(c.sealed), contentKey))).toBe(c.plaintext);
  });
});
