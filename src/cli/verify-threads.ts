/**
 * The command line's signature checks on worker threads (issue 17, first
 * run). A catch-up verifies tens of thousands of commits; through WebCrypto
 * each verify runs on Node's thread pool but costs the event loop a promise
 * job, WebIDL conversions and a callback (about 1.5 s of a 50,000-commit
 * first run, on the thread that also fetches, hashes, decodes and stores).
 * Here the core's verify pool (workers/verify/verify-pool.ts) packs a turn's
 * calls into one message per thread, and each thread verifies its batch with
 * node:crypto one after another, answering one byte per signature.
 *
 * It accepts and refuses exactly what the other verifiers do: the pre-checks
 * of protocol/keys.ts run here first (a signature failing them never
 * leaves this thread), then node:crypto's Ed25519 verify, as the hub's
 * (src/hub/guard/node-verify.ts). A turn of few calls, and every call of a
 * thread that failed or exited, is verified here by `local`; none is answered
 * true unchecked. Threads are started at the first batch, so a command that
 * verifies only heads starts none; they do not keep the process
 * alive once every batch they hold is answered.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { type Verify, passesPrechecks } from '../protocol/keys.ts';
import {
  type VerifyAnswer,
  type VerifyEndpoint,
  type VerifyRequest,
  pooledVerify,
  verifyWorkersFor,
} from '../../workers/verify/verify-pool.ts';

/**
 * The thread's code, a CommonJS script run with `eval` (a file of its own would need a bundle entry of its
 * own). Pre-checked calls only: a key node:crypto cannot import refuses the signature, as node-verify.ts does.
 */
const THREAD_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { createPublicKey, verify } = require('node:crypto');
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
const keys = new Map();
function keyOf(bytes) {
  const name = bytes.toString('latin1');
  if (keys.has(name)) return keys.get(name);
  if (keys.size >= 4096) keys.clear();
  let key = null;
  try {
    key = createPublicKey({ key: Buffer.concat([SPKI_PREFIX, bytes]), format: 'der', type: 'spki' });
  } catch {}
  keys.set(name, key);
  return key;
}
parentPort.on('message', ({ batch, bytes, ends }) => {
  const all = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  const count = ends.length / 3;
  const ok = new Uint8Array(count);
  for (let i = 0, at = 0; i < count; i++) {
    const sigEnd = ends[i * 3], messageEnd = ends[i * 3 + 1], keyEnd = ends[i * 3 + 2];
    const key = keyOf(all.subarray(messageEnd, keyEnd));
    try {
      ok[i] = key !== null && verify(null, all.subarray(sigEnd, messageEnd), key, all.subarray(at, sigEnd)) ? 1 : 0;
    } catch {
      ok[i] = 0;
    }
    at = keyEnd;
  }
  parentPort.postMessage({ batch, ok }, [ok.buffer]);
});
`;

export interface ThreadOptions {
  /** Threads to spread batches over (default: verifyWorkersFor the machine's cores). */
  readonly threads?: number;
  /** Fewer calls than this in one turn are verified by `local` (a message costs more than they do). */
  readonly minBatch?: number;
}

/** A Verify that sends large turns of calls to worker threads and verifies the rest with `local`. */
export function threadedVerify(local: Verify, options: ThreadOptions = {}): Verify {
  const pooled = pooledVerify(local, () => new ThreadEndpoint(), {
    workers: options.threads ?? verifyWorkersFor(availableParallelism()),
    // A catch-up's rounds are up to 2,048 commits; the heads of a refresh (one per follow) stay here, so a
    // `timeline` that finds nothing new starts no thread (one would cost it tens of ms before its answer).
    minBatch: options.minBatch ?? 256,
    maxBatch: 512,
  });
  return (signature, message, publicKey) =>
    passesPrechecks(signature, publicKey) ? pooled(signature, message, publicKey) : Promise.resolve(false);
}

type Listener = (event: MessageEvent<VerifyAnswer>) => void;

/**
 * A worker thread as the pool's endpoint: made at its first batch, and holding the process open only while it
 * has a batch unanswered (each request gets one answer). A thread that exits holding batches counts as failed.
 */
class ThreadEndpoint implements VerifyEndpoint {
  #worker: Worker | undefined;
  #unanswered = 0;
  readonly #onMessage: Listener[] = [];
  readonly #onError: ((event: Event) => void)[] = [];

  postMessage(message: VerifyRequest, transfer: Transferable[]): void {
    const worker = this.#start();
    worker.postMessage(message, transfer as ArrayBuffer[]);
    if (this.#unanswered++ === 0) worker.ref();
  }

  addEventListener(type: 'message', listener: Listener): void;
  addEventListener(type: 'error' | 'messageerror', listener: (event: Event) => void): void;
  addEventListener(type: string, listener: Listener | ((event: Event) => void)): void {
    if (type === 'message') this.#onMessage.push(listener as Listener);
    else this.#onError.push(listener as (event: Event) => void);
  }

  terminate(): void {
    void this.#worker?.terminate();
  }

  #start(): Worker {
    if (this.#worker) return this.#worker;
    const worker = new Worker(THREAD_SOURCE, { eval: true });
    this.#worker = worker;
    worker.unref();
    worker.on('message', (data: VerifyAnswer) => {
      if (--this.#unanswered === 0) worker.unref();
      for (const listener of this.#onMessage) listener({ data } as MessageEvent<VerifyAnswer>);
    });
    const failed = () => {
      for (const listener of this.#onError) listener(new Event('error'));
    };
    worker.on('error', failed);
    worker.on('messageerror', failed);
    worker.on('exit', () => {
      if (this.#unanswered > 0) failed();
    });
    return worker;
  }
}
