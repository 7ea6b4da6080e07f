/**
 * The committed vectors: every case's `comment` is its test title. A changed
 * vector is a protocol change. Every signature case runs under both verifiers
 * (WebCrypto and noble) and must give the same answer. encoding.json is also
 * checked against a second implementation that shares no code with
 * canonical.ts: the RFC 8785 reference `canonicalize` and the narrowing
 * written out again below.
 */
import { createHash, createPublicKey, verify as nodeVerify } from 'node:crypto';
import * as ed from '@noble/ed25519';
import canonicalize from 'canonicalize';
import { describe, expect, test } from 'vitest';
import { fromHex, toHex, utf8 } from './bytes.ts';
import { decodeCanonical, encodeCanonical } from './canonical.ts';
import { decodeCommit, objectIdsOf, provenanceOf, verifyCommit } from './commits.ts';
import { decodeHandleClaim, verifyHandleClaim } from './handles.ts';
import { checkHeadSignature, decodeHead, verifyHead } from './heads.ts';
import { hashBytes } from './ids.ts';
import { SMALL_ORDER_ENCODINGS, type Verify, nobleVerify, pseudonymOf, sign, webCryptoVerify } from './keys.ts';
import { decodePost } from './objects.ts';
import encoding from './vectors/encoding.json' with { type: 'json' };
import ed25519 from './vectors/ed25519.json' with { type: 'json' };
import invalid from './vectors/invalid.json' with { type: 'json' };
import signed from './vectors/signed.json' with { type: 'json' };
import { thrownName } from './testing/thrown-name.ts';

const VERIFIERS: [string, Verify][] = [
  ['webcrypto', webCryptoVerify(globalThis.crypto.subtle)],
  ['noble', nobleVerify],
];

const bytesOf = (c: { text?: string; hex?: string }) => (c.hex !== undefined ? fromHex(c.hex) : utf8(c.text!));

describe('canonical encoding', () => {
  for (const c of encoding.valid) {
    test(c.comment, () => {
      const bytes = encodeCanonical(c.value);
      expect(new TextDecoder().decode(bytes)).toBe(c.text);
      expect(decodeCanonical(bytes)).toEqual(c.value);
    });
  }
  for (const c of encoding.invalid) {
    test(`refuses ${c.comment} with ${c.error}`, () => {
      expect(thrownName(() => decodeCanonical(bytesOf(c)))).toBe(c.error);
    });
  }
});

/** Inside the narrowing of RFC 8785 that PROTOCOL.md states: no null, safe integers only, no -0, no lone surrogates. */
function narrowed(value: unknown): boolean {
  if (typeof value === 'string') return value.isWellFormed();
  if (typeof value === 'number') return Number.isSafeInteger(value) && !Object.is(value, -0);
  if (typeof value === 'boolean') return true;
  if (Array.isArray(value)) return value.every(narrowed);
  if (typeof value !== 'object' || value === null) return false;
  return Object.entries(value).every(([key, field]) => key.isWellFormed() && narrowed(field));
}

/**
 * The reference verdict on some bytes: DecodeError (not UTF-8 JSON, or a
 * value outside the narrowing), NonCanonical (RFC 8785 writes that value
 * otherwise), or 'accepted'.
 */
function referenceVerdict(bytes: Uint8Array): string {
  let value: unknown;
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
    value = JSON.parse(text);
  } catch {
    return 'DecodeError';
  }
  if (!narrowed(value)) return 'DecodeError';
  return canonicalize(value) === text ? 'accepted' : 'NonCanonical';
}

describe('canonical encoding: encoding.json against RFC 8785 (canonicalize) and the narrowing', () => {
  test('every valid case is the RFC 8785 text of its value, and accepted', () => {
    expect(encoding.valid.map((c) => [c.comment, canonicalize(c.value), referenceVerdict(utf8(c.text))])).toEqual(
      encoding.valid.map((c) => [c.comment, c.text, 'accepted']),
    );
  });

  test('every invalid case gets the same error from the reference', () => {
    expect(encoding.invalid.map((c) => [c.comment, referenceVerdict(bytesOf(c))])).toEqual(
      encoding.invalid.map((c) => [c.comment, c.error]),
    );
  });
});

describe('Ed25519', () => {
  for (const c of ed25519.cases) {
    test(c.comment, async () => {
      const [sig, msg, pub] = [fromHex(c.signature), fromHex(c.message), fromHex(c.publicKey)];
      if ('secretKey' in c && c.secretKey) {
        expect(pseudonymOf(fromHex(c.secretKey))).toBe(c.publicKey);
        expect(toHex(sign(msg, fromHex(c.secretKey)))).toBe(c.signature);
      }
      for (const [name, verify] of VERIFIERS) expect([name, await verify(sig, msg, pub)]).toEqual([name, c.valid]);
    });
  }

  test('every listed small-order encoding really has small order', () => {
    for (const hex of SMALL_ORDER_ENCODINGS) expect(ed.Point.fromHex(hex, true).isSmallOrder()).toBe(true);
  });
});

describe('signed vectors from a fixed key', () => {
  const nodeKey = (publicKey: string) =>
    createPublicKey({
      key: Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), Buffer.from(publicKey, 'hex')]),
      format: 'der',
      type: 'spki',
    });

  test('the fixed seed gives the recorded public key', () => {
    expect(pseudonymOf(fromHex(signed.seed))).toBe(signed.publicKey);
  });

  for (const c of signed.objects) {
    test(c.comment, () => {
      const bytes = utf8(c.text);
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(c.id);
      expect(decodePost(bytes, c.id as never).id).toBe(c.id);
    });
  }

  for (const c of signed.signed) {
    test(c.comment, async () => {
      const bytes = utf8(c.text);
      expect(hashBytes(bytes)).toBe(c.id);
      const record =
        c.kind === 'commit'
          ? decodeCommit(bytes, c.id as never).signed
          : c.kind === 'head'
            ? decodeHead(bytes).signed
            : decodeHandleClaim(bytes).signed;
      expect(record.sig).toBe(c.sig);
      expect(record.message).toEqual(encodeCanonical(record.fields)); // the cut-out message is the canonical fields
      // An independent implementation agrees the signature covers the fields without sig.
      const fields = record.fields as { author: string; agent?: { id: string; delegation?: unknown } };
      const signer = fields.agent?.delegation ? fields.agent.id : fields.author;
      expect(nodeVerify(null, encodeCanonical(record.fields), nodeKey(signer), Buffer.from(c.sig, 'hex'))).toBe(true);
      for (const [name, verify] of VERIFIERS)
        expect([name, await verifyAny(c.kind, bytes, verify)]).toEqual([name, true]);
    });
  }
});

test('the delegated agent vector reads as "agent X on behalf of its owner"', async () => {
  const delegated = signed.signed.find((c) => c.comment.includes('under the author’s delegation'))!;
  for (const [, verify] of VERIFIERS) {
    expect(await provenanceOf(decodeCommit(utf8(delegated.text)), verify)).toEqual({
      author: signed.provenance.owner,
      agent: { id: signed.provenance.agent, model: 'example-model-1', delegated: true },
    });
  }
});

test('the named agent vector carries its name; the agent head is the owner’s head', async () => {
  const named = signed.signed.find((c) => c.comment.includes('delegation that names the agent'))!;
  const head = decodeHead(utf8(signed.signed.find((c) => c.comment.includes('head signed by an agent'))!.text));
  for (const [, verify] of VERIFIERS) {
    expect(await provenanceOf(decodeCommit(utf8(named.text)), verify)).toEqual({
      author: signed.provenance.owner,
      agent: { id: signed.provenance.agent, model: 'example-model-1', delegated: true, name: 'scribe' },
    });
  }
  expect(head.head.author).toBe(signed.provenance.owner);
  expect(head.head.agent?.id).toBe(signed.provenance.agent);
  const revoke = decodeCommit(utf8(signed.signed.find((c) => c.comment.includes('revoke op'))!.text));
  expect(revoke.commit.ops).toEqual([{ type: 'revoke', agent: signed.provenance.agent }]);
});

async function verifyAny(kind: string, bytes: Uint8Array, verify: Verify): Promise<boolean> {
  if (kind === 'commit') return verifyCommit(decodeCommit(bytes), verify);
  if (kind === 'head') return verifyHead(decodeHead(bytes), verify);
  return verifyHandleClaim(decodeHandleClaim(bytes), verify);
}

describe('invalid vectors', () => {
  for (const c of invalid.cases) {
    test(`refuses ${c.comment} with ${c.error}`, async () => {
      const bytes = utf8(c.text);
      const decode = () =>
        c.kind === 'post'
          ? decodePost(bytes)
          : c.kind === 'commit'
            ? decodeCommit(bytes)
            : c.kind === 'head'
              ? decodeHead(bytes)
              : decodeHandleClaim(bytes);
      const decodeError = thrownName(decode);
      if (decodeError) return expect(decodeError).toBe(c.error);
      for (const [name, verify] of VERIFIERS) {
        expect([name, await verifyAny(c.kind, bytes, verify)]).toEqual([name, false]);
        const reason =
          c.kind === 'commit'
            ? await provenanceOf(decodeCommit(bytes), verify).then(
                () => 'none',
                (e: Error) => e.name,
              )
            : c.kind === 'head'
              ? await checkHeadSignature(decodeHead(bytes), verify).then(
                  () => 'none',
                  (e: Error) => e.name,
                )
              : 'BadSignature';
        expect([name, reason]).toEqual([name, c.error]);
      }
    });
  }
});

test('a sealed post op asks readers to fetch its sealed post and its key envelope; a link post, the post', () => {
  const opsOf = (start: string) => decodeCommit(utf8(signed.signed.find((c) => c.comment.startsWith(start))!.text));
  const allowlist = opsOf('a post op sealed for an allowlist');
  const link = opsOf('a post op sealed for whoever holds the link');
  expect(objectIdsOf(allowlist.commit)).toEqual(['a1'.repeat(32), 'b2'.repeat(32)]);
  expect(objectIdsOf(link.commit)).toEqual(['a1'.repeat(32)]);
  expect(link.commit.ops).toEqual([{ type: 'post', object: 'a1'.repeat(32), audience: 'link' }]);
});
