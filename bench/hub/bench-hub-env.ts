/**
 * What every bench that starts hubs shares: their settings, with limits on
 * (their code runs) but far above what one load generator sends from
 * 127.0.0.1, and the keys and heads the load is made of.
 */
import { fromHex } from '../../src/protocol/bytes.ts';
import { type SignedHead, buildHead } from '../../src/protocol/heads.ts';
import { type CommitId, hashBytes } from '../../src/protocol/ids.ts';
import { type SecretKey, secretKeyFrom } from '../../src/protocol/keys.ts';

const BIG = '1000000000';

/** Rates and the memory of signed requests out of the way (seeding alone may sign tens of thousands of uploads). */
export const UNLIMITED_RATES = {
  MURMUR_RATE_IP: BIG,
  MURMUR_RATE_IP_BURST: BIG,
  MURMUR_RATE_PSEUDONYM: BIG,
  MURMUR_RATE_PSEUDONYM_BURST: BIG,
  MURMUR_SEEN_REQUESTS: BIG,
  MURMUR_SEEN_REQUESTS_PER_SIGNER: BIG,
} as const;

/** Rates, quotas and the caps on connections and streams out of the way, for up to `connections` from one address. */
export function unlimitedHubEnv(connections: number): Record<string, string> {
  return {
    ...UNLIMITED_RATES,
    MURMUR_QUOTA_BYTES: '1000000000000',
    MURMUR_ADDRESS_BYTES: '1000000000000',
    MURMUR_MAX_CONNECTIONS: String(connections),
    MURMUR_MAX_CONNECTIONS_PER_ADDRESS: String(connections),
    MURMUR_MAX_STREAMS_PER_ADDRESS: String(connections),
  };
}

/** A distinct key per label. */
export function keyOf(label: string): SecretKey {
  return secretKeyFrom(fromHex(hashBytes(new TextEncoder().encode(label))));
}

/** The commit every bench head points at (hubs check a head's signature and seq, not that its commit exists). */
export const TIP = hashBytes(new TextEncoder().encode('tip')) as CommitId;

/**
 * `count` heads of `authors` authors: head i is author i % authors at seq i / authors + 1, so an author's next
 * head is sent long after its last was answered.
 */
export function headsOfAuthors(authors: number, count: number): SignedHead[] {
  const keys = Array.from({ length: authors }, (_, i) => keyOf(`author ${i}`));
  return Array.from({ length: count }, (_, i) =>
    buildHead(keys[i % authors]!, { heads: [TIP], seq: Math.floor(i / authors) + 1, ts: Date.now() }),
  );
}
