/**
 * The hub store acceptance suite's cases for the directory (contract.ts runs
 * them for every store): the newest listing per pseudonym wins (an unlisting
 * too, which takes it out of the directory but not out of what a mirroring
 * hub copies), and the directory pages by id,
 * filtered by topic and by words (a searchable listing's only), never
 * skipping or repeating.
 *
 * This is test code (it imports vitest), named as the layer test expects.
 */
import { expect } from 'vitest';
import { ProtocolError } from '../../protocol/errors.ts';
import { type SignedListing, buildListing } from '../../protocol/listing.ts';
import { type SecretKey, pseudonymOf, secretKeyFrom } from '../../protocol/keys.ts';
import type { WithStore } from './contract.ts';

const keys = Array.from({ length: 7 }, (_, i) => secretKeyFrom(new Uint8Array(32).fill(40 + i)));

function listing(key: SecretKey, seq: number, topics: string[], bio = '', searchable = false): SignedListing {
  const name = pseudonymOf(key).slice(0, 8);
  const fields = { seq, ts: 1_700_000_000_000 + seq, handle: `${name}@hub.example`, name, bio, topics };
  return buildListing(key, { ...fields, ...(searchable && { searchable: true }) });
}

async function outcome(promise: Promise<unknown>): Promise<string> {
  try {
    return String(await promise);
  } catch (error) {
    return error instanceof ProtocolError ? error.name : `not a ProtocolError: ${String(error)}`;
  }
}

export function registerDirectoryCases(withStore: WithStore): void {
  withStore('directory: the newest listing wins; an unlisting takes it out; StaleListing for older', async (s) => {
    const { directory } = s;
    const [key] = keys as [SecretKey];
    const author = pseudonymOf(key);
    expect(await directory.putListing(listing(key, 2, ['music']))).toBe('created');
    expect(await directory.putListing(listing(key, 2, ['music']))).toBe('held');
    expect(await outcome(directory.putListing(listing(key, 2, ['rust'])))).toBe('StaleListing');
    expect(await outcome(directory.putListing(listing(key, 1, ['rust'])))).toBe('StaleListing');
    expect((await directory.listListings({ topic: 'music', limit: 10 })).map((l) => l.listing.author)).toEqual([
      author,
    ]);
    const unlisting = buildListing(key, { seq: 3, ts: 1_700_000_000_003, unlisted: true });
    expect(await directory.putListing(unlisting)).toBe('created');
    expect(new Uint8Array((await directory.findListing(author))!.bytes)).toEqual(unlisting.bytes);
    expect(await directory.listListings({ limit: 10 })).toEqual([]);
    // What a mirroring hub copies: the unlisting too, so it replaces the listing there.
    const all = await directory.listListings({ limit: 10, unlisted: true });
    expect(all.map((l) => new Uint8Array(l.bytes))).toEqual([unlisting.bytes]);
    expect(await outcome(directory.putListing(listing(key, 3, ['music'])))).toBe('StaleListing');
    expect(await directory.putListing(listing(key, 4, ['music']))).toBe('created');
    expect(await directory.listListings({ limit: 10 })).toHaveLength(1);
  });

  withStore('directory: pages by id, by topic and by words, each listed one once', async ({ directory }) => {
    const topicsOf = (i: number) => (i % 2 === 0 ? ['music', 'rust'] : ['cycling']);
    // Two build boats; only the searchable one is found by the word.
    for (const [i, key] of keys.entries())
      await directory.putListing(listing(key, 1, topicsOf(i), i === 3 || i === 4 ? 'Builds Boats' : '', i === 3));
    const byId = keys.map(pseudonymOf).sort();
    const paged: string[] = [];
    let after: (typeof byId)[number] | undefined;
    for (;;) {
      const page = await directory.listListings({ limit: 3, ...(after && { after }) });
      paged.push(...page.map((l) => l.listing.author));
      if (page.length < 3) break;
      after = page.at(-1)!.listing.author;
    }
    expect(paged).toEqual(byId);
    const music = await directory.listListings({ topic: 'music', limit: 10 });
    expect(music.map((l) => l.listing.author)).toEqual(
      keys
        .filter((_, i) => i % 2 === 0)
        .map(pseudonymOf)
        .sort(),
    );
    const boats = await directory.listListings({ q: 'boats', limit: 10 });
    expect(boats.map((l) => l.listing.author)).toEqual([pseudonymOf(keys[3]!)]);
    expect(await directory.listListings({ topic: 'cycling', q: 'nothing like this', limit: 10 })).toEqual([]);
  });
}
