/**
 * Bundled into a page by e2e/ed25519-rule.spec.ts: runs every Ed25519 vector
 * through this browser's verifiers - WebCrypto, the noble fallback, what
 * pickVerify chooses, and the app's verify workers (workers/verify/verify.worker.ts,
 * bundled and served as /verify-worker.js, and as /verify-worker-noble.js
 * after hide-subtle.ts, where it sees no crypto.subtle and falls back to
 * noble).
 */
import { ed25519Vectors, runVectors } from '../../src/protocol/ed25519-vectors.ts';
import { type Verify, nobleVerify, pickVerify, webCryptoVerify } from '../../src/protocol/keys.ts';
import { type VerifyEndpoint, type VerifyAnswer, pooledVerify } from '../../workers/verify/verify-pool.ts';

/** Signatures the verify workers answered, per pool; a pool whose workers fail would fall back to `local`. */
const answered: Record<string, number> = {};
let usedLocal = false;

/**
 * Every call goes to real Workers (minBatch 1); the local fallback
 * answers false and is flagged, so it cannot pass for them.
 */
function workerPool(url: string): Verify {
  answered[url] = 0;
  const local: Verify = async () => {
    usedLocal = true;
    return false;
  };
  const spawn = (): VerifyEndpoint => {
    const worker = new Worker(url);
    worker.addEventListener('message', (event: MessageEvent<VerifyAnswer>) => {
      answered[url]! += event.data.ok.length;
    });
    return worker;
  };
  return pooledVerify(local, spawn, { minBatch: 1, maxBatch: 64, workers: 2 });
}

async function runEd25519() {
  const vectors = ed25519Vectors();
  const picked = await pickVerify();
  const run = await runVectors(vectors, {
    'webcrypto (Chromium)': webCryptoVerify(crypto.subtle),
    noble: nobleVerify,
    pickVerify: picked,
    'verify workers (WebCrypto)': workerPool('/verify-worker.js'),
    'verify workers (noble)': workerPool('/verify-worker-noble.js'),
  });
  return {
    vectors: vectors.length,
    valid: vectors.filter((v) => v.valid).length,
    pickedNoble: picked === nobleVerify,
    answered,
    usedLocal,
    wrong: run.wrong,
    disagreements: run.disagreements,
  };
}

(globalThis as unknown as { runEd25519: typeof runEd25519 }).runEd25519 = runEd25519;
