/**
 * The verify benchmark, runnable in Node and in a browser page: commits
 * decoded + verified per second beside raw WebCrypto verifies per second, on
 * the same signatures, in the same run.
 */
import { fromHex } from '../src/protocol/bytes.ts';
import { type Digest, type SignedCommit, buildCommit, verifyCommits } from '../src/protocol/commits.ts';
import type { CommitId, ObjectId } from '../src/protocol/ids.ts';
import { pseudonymOf, webCryptoVerify } from '../src/protocol/keys.ts';
import { encodeCanonical } from '../src/protocol/canonical.ts';

export interface VerifyRound {
  readonly rawPerSecond: number;
  readonly commitsPerSecond: number;
}

/** Makes `count` realistic commits: a chain, one post op each (signing is not measured). */
export function makeCommits(count: number): SignedCommit[] {
  const key = fromHex('07'.repeat(32));
  const out: SignedCommit[] = [];
  let parents: CommitId[] = [];
  for (let i = 0; i < count; i++) {
    const object = (i.toString(16).padStart(8, '0') + 'ab'.repeat(28)) as ObjectId;
    const c = buildCommit(key, { parents, seq: i + 1, ts: 1_767_225_600_000 + i, ops: [{ type: 'post', object }] });
    out.push(c);
    parents = [c.id];
  }
  return out;
}

/** @param digest the sha256 the verifying side uses (default: WebCrypto's, as in the browser). */
export async function verifyRound(subtle: SubtleCrypto, commits: readonly SignedCommit[], now: () => number, digest?: Digest): Promise<VerifyRound> {
  const publicKey = fromHex(pseudonymOf(fromHex('07'.repeat(32))));
  const key = await subtle.importKey('raw', publicKey as Uint8Array<ArrayBuffer>, { name: 'Ed25519' }, false, ['verify']);
  const pairs = commits.map((c) => [fromHex(c.sig), encodeCanonical(c.signed.fields)] as const);
  const verify = webCryptoVerify(subtle);

  let t = now();
  const raw = await Promise.all(pairs.map(([sig, msg]) => subtle.verify({ name: 'Ed25519' }, key, sig as Uint8Array<ArrayBuffer>, msg as Uint8Array<ArrayBuffer>)));
  const rawSeconds = (now() - t) / 1000;

  t = now();
  const ok = (await (digest ? verifyCommits(commits, verify, digest) : verifyCommits(commits, verify))).map((r) => r.ok);
  const commitSeconds = (now() - t) / 1000;

  if (!raw.every(Boolean) || !ok.every(Boolean)) throw new Error('a benchmark signature failed to verify');
  return { rawPerSecond: commits.length / rawSeconds, commitsPerSecond: commits.length / commitSeconds };
}
