/**
 * The verify benchmark, runnable in Node and in a browser page: commits
 * decoded + verified per second beside raw WebCrypto verifies per second, on
 * the same signatures, in the same run.
 */
import { fromHex } from '../src/protocol/bytes.ts';
import { type Digest, type SignedCommit, buildCommit, verifyCommits } from '../src/protocol/commits.ts';
import type { CommitId, ObjectId } from '../src/protocol/ids.ts';
import { type Verify, pseudonymOf, webCryptoVerify } from '../src/protocol/keys.ts';
import { encodeCanonical } from '../src/protocol/canonical.ts';

export interface VerifyRound {
  readonly rawPerSecond: number;
  readonly commitsPerSecond: number;
}

/** Commits per alternation of the raw and the commit runs: enough in flight to keep the verifier busy. */
const SLICE = 250;

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

/**
 * @param digest the sha256 the verifying side uses (default: WebCrypto's, as in the browser).
 * @param extraVerifies the positive control: the commit side verifies each signature this many times more.
 */
export async function verifyRound(
  subtle: SubtleCrypto,
  commits: readonly SignedCommit[],
  now: () => number,
  digest?: Digest,
  extraVerifies = 0,
): Promise<VerifyRound> {
  const publicKey = fromHex(pseudonymOf(fromHex('07'.repeat(32))));
  const key = await subtle.importKey('raw', publicKey as Uint8Array<ArrayBuffer>, { name: 'Ed25519' }, false, [
    'verify',
  ]);
  const pairs = commits.map((c) => [fromHex(c.sig), encodeCanonical(c.signed.fields)] as const);
  const once = webCryptoVerify(subtle);
  const verify: Verify = async (signature, message, publicKey) => {
    for (let i = 0; i < extraVerifies; i++) await once(signature, message, publicKey);
    return once(signature, message, publicKey);
  };

  // Raw and commit runs alternate slice by slice (and swap which goes first), so a burst of other
  // work on the machine lands on both sides alike instead of on one whole run.
  let rawSeconds = 0;
  let commitSeconds = 0;
  let allOk = true;
  for (let from = 0, n = 0; from < commits.length; from += SLICE, n++) {
    const slice = commits.slice(from, from + SLICE);
    const timeRaw = async () => {
      const t = now();
      const raw = await Promise.all(
        pairs
          .slice(from, from + SLICE)
          .map(([sig, msg]) =>
            subtle.verify({ name: 'Ed25519' }, key, sig as Uint8Array<ArrayBuffer>, msg as Uint8Array<ArrayBuffer>),
          ),
      );
      rawSeconds += (now() - t) / 1000;
      allOk &&= raw.every(Boolean);
    };
    const timeCommits = async () => {
      const t = now();
      const results = await (digest ? verifyCommits(slice, verify, digest) : verifyCommits(slice, verify));
      commitSeconds += (now() - t) / 1000;
      allOk &&= results.every((r) => r.ok);
    };
    if (n % 2 === 0) await timeRaw().then(timeCommits);
    else await timeCommits().then(timeRaw);
  }

  if (!allOk) throw new Error('a benchmark signature failed to verify');
  return { rawPerSecond: commits.length / rawSeconds, commitsPerSecond: commits.length / commitSeconds };
}
