/**
 * Directory listings: the committed vectors (exact bytes, a signature that
 * node:crypto checks over the canonical fields, each refusal by name), and
 * what the directory matches a listing by.
 */
import { createPublicKey, verify as nodeVerify } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { fromHex, utf8 } from './bytes.ts';
import { encodeCanonical } from './canonical.ts';
import { ProtocolError } from './errors.ts';
import { hashBytes } from './ids.ts';
import { nobleVerify, pseudonymOf, secretKeyFrom } from './keys.ts';
import { buildListing, decodeListing, listingMatches, verifyListing } from './listing.ts';
import vectors from './vectors/listing.json' with { type: 'json' };

const SPKI = Buffer.from('302a300506032b6570032100', 'hex');
const nodeKey = (hex: string) =>
  createPublicKey({ key: Buffer.concat([SPKI, Buffer.from(hex, 'hex')]), format: 'der', type: 'spki' });

function nameOf(run: () => unknown): string {
  try {
    run();
    return 'decoded';
  } catch (error) {
    return error instanceof ProtocolError ? error.name : `not a ProtocolError: ${String(error)}`;
  }
}

describe('listing vectors', () => {
  test('the key is the seed’s', () => {
    expect(pseudonymOf(secretKeyFrom(fromHex(vectors.seed)))).toBe(vectors.publicKey);
  });
  for (const c of vectors.valid) {
    test(c.comment, async () => {
      const bytes = utf8(c.text);
      expect(hashBytes(bytes)).toBe(c.id);
      const signed = decodeListing(bytes);
      expect(signed.sig).toBe(c.sig);
      expect(encodeCanonical({ ...signed.signed.fields, sig: signed.sig })).toEqual(bytes); // canonical as given
      expect(nodeVerify(null, signed.signed.message, nodeKey(vectors.publicKey), Buffer.from(c.sig, 'hex'))).toBe(true);
      expect(await verifyListing(signed, nobleVerify)).toBe(true);
    });
  }
  for (const c of vectors.invalid) {
    test(`${c.comment}: ${c.error}`, () => {
      expect(nameOf(() => decodeListing(utf8(c.text)))).toBe(c.error);
    });
  }
});

describe('listing', () => {
  const key = secretKeyFrom(fromHex(vectors.seed));
  test('a listing signed by another key does not verify', async () => {
    const other = buildListing(secretKeyFrom(new Uint8Array(32).fill(9)), { seq: 1, ts: 1, handle: 'x@hub.example' });
    const forged = decodeListing(utf8(vectors.valid[0]!.text.replace(vectors.valid[0]!.sig, other.sig)));
    expect(await verifyListing(forged, nobleVerify)).toBe(false);
  });
  test('the directory matches by topic, a searchable listing by words in handle, name or bio too; no unlisting', () => {
    const fields = {
      seq: 1,
      ts: 1,
      handle: 'alice@hub.example',
      name: 'Alice',
      bio: 'Plays the Cello',
      topics: ['music'],
    };
    const { listing } = buildListing(key, { ...fields, searchable: true });
    expect(
      [{ topic: 'music' }, { topic: 'rust' }, { q: 'cello' }, { q: 'ALICE' }, { q: 'hub.example' }, { q: 'piano' }].map(
        (query) => listingMatches(listing, query),
      ),
    ).toEqual([true, false, true, true, true, false]);
    // Not searchable: found by its topic, never by words.
    const topicOnly = buildListing(key, fields).listing;
    expect([{ topic: 'music' }, { q: 'cello' }, { q: 'alice' }].map((q) => listingMatches(topicOnly, q))).toEqual([
      true,
      false,
      false,
    ]);
    const gone = buildListing(key, { seq: 2, ts: 1, unlisted: true }).listing;
    expect(listingMatches(gone, {})).toBe(false);
  });
});
