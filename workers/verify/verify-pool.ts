/**
 * Signature checks on another thread. Chromium verifies Ed25519 on the
 * calling thread (a Promise.all of 2,000 verifies blocks it for their whole
 * time), so a catch-up that verifies in the core worker cannot fetch, hash or
 * decode meanwhile. This Verify gathers the calls made in one turn of the
 * event loop and, when there are enough to be worth a message, sends them
 * packed into one buffer to a verify worker (verify.worker.ts), which answers
 * one byte per signature. A few calls (a head, a live commit) stay on this
 * thread: a message costs more than they do. Several workers share a turn:
 * the calling thread is mostly waiting on the network meanwhile, so on two
 * cores two workers keep both busy.
 *
 * Only public keys, messages and signatures cross; nothing secret. If the
 * worker cannot be made, fails to load, or dies, its calls are verified here
 * instead, so no call is left waiting and none is answered true unchecked.
 */
import type { Verify } from '../../src/protocol/keys.ts';

/** What the pool needs of a worker (a Worker, or a MessagePort in tests). */
export interface VerifyEndpoint {
  postMessage(message: VerifyRequest, transfer: Transferable[]): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<VerifyAnswer>) => void): void;
  addEventListener(type: 'error' | 'messageerror', listener: (event: Event) => void): void;
  terminate?(): void;
}

/** Signatures, messages and keys back to back; `ends` holds where each of an entry's three parts ends. */
export interface VerifyRequest {
  readonly batch: number;
  readonly bytes: Uint8Array;
  readonly ends: Uint32Array;
}

/** One byte per entry of the batch: 1 verified, 0 refused. */
export interface VerifyAnswer {
  readonly batch: number;
  readonly ok: Uint8Array;
}

export interface PoolOptions {
  /** Fewer calls than this in one turn are verified on this thread. */
  readonly minBatch?: number;
  /** Most signatures per message (several messages keep several workers busy). */
  readonly maxBatch?: number;
  /** Verify workers to spread batches over. */
  readonly workers?: number;
}

/**
 * Verify workers for a machine with `cores`: two at least (the calling
 * thread mostly waits on the network during a catch-up, so on two cores two
 * workers keep both busy), one per core up to four.
 */
export function verifyWorkersFor(cores: number | undefined): number {
  return Math.min(4, Math.max(2, cores ?? 2));
}

interface Call {
  readonly signature: Uint8Array;
  readonly message: Uint8Array;
  readonly publicKey: Uint8Array;
  readonly resolve: (ok: boolean) => void;
}

/** Packs calls for one message. */
export function packBatch(
  batch: number,
  calls: readonly Pick<Call, 'signature' | 'message' | 'publicKey'>[],
): VerifyRequest {
  let size = 0;
  for (const c of calls) size += c.signature.length + c.message.length + c.publicKey.length;
  const bytes = new Uint8Array(size);
  const ends = new Uint32Array(calls.length * 3);
  let at = 0;
  calls.forEach((c, i) => {
    for (const [k, part] of [c.signature, c.message, c.publicKey].entries()) {
      bytes.set(part, at);
      at += part.length;
      ends[i * 3 + k] = at;
    }
  });
  return { batch, bytes, ends };
}

/** The worker's side: verifies every entry of a request with `verify`. */
export async function answerBatch(request: VerifyRequest, verify: Verify): Promise<VerifyAnswer> {
  const { bytes, ends } = request;
  const count = ends.length / 3;
  const checks: Promise<boolean>[] = [];
  for (let i = 0, at = 0; i < count; i++) {
    const [sigEnd, messageEnd, keyEnd] = [ends[i * 3]!, ends[i * 3 + 1]!, ends[i * 3 + 2]!];
    checks.push(
      verify(bytes.subarray(at, sigEnd), bytes.subarray(sigEnd, messageEnd), bytes.subarray(messageEnd, keyEnd)),
    );
    at = keyEnd;
  }
  const results = await Promise.all(checks);
  return { batch: request.batch, ok: Uint8Array.from(results, (r) => (r ? 1 : 0)) };
}

/**
 * A Verify that sends large turns of calls to verify workers made by `spawn`
 * (on the first call), and verifies the rest with `local`.
 */
export function pooledVerify(local: Verify, spawn: () => VerifyEndpoint, options: PoolOptions = {}): Verify {
  const minBatch = options.minBatch ?? 16;
  const maxBatch = options.maxBatch ?? 256;
  const size = Math.max(1, options.workers ?? 1);
  let queue: Call[] = [];
  let endpoints: VerifyEndpoint[] | undefined;
  let broken = false;
  let next = 0;
  let batchIds = 0;
  const sent = new Map<number, readonly Call[]>();

  const here = (calls: readonly Call[]) => {
    for (const c of calls) local(c.signature, c.message, c.publicKey).then(c.resolve, () => c.resolve(false));
  };
  // A worker that failed: everything it held is verified here, and no batch goes out again.
  const fail = () => {
    if (broken) return;
    broken = true;
    for (const e of endpoints ?? []) e.terminate?.();
    const orphans = [...sent.values()];
    sent.clear();
    for (const calls of orphans) here(calls);
  };
  const start = (): VerifyEndpoint[] | undefined => {
    if (endpoints) return endpoints;
    // Kept as they are made, so a later spawn that throws leaves none of them running.
    endpoints = [];
    try {
      while (endpoints.length < size) {
        const endpoint = spawn();
        endpoints.push(endpoint);
        endpoint.addEventListener('message', ({ data }) => {
          const calls = sent.get(data.batch);
          if (!calls) return;
          sent.delete(data.batch);
          calls.forEach((c, i) => {
            c.resolve(data.ok[i] === 1);
          });
        });
        endpoint.addEventListener('error', fail);
        endpoint.addEventListener('messageerror', fail);
      }
      return endpoints;
    } catch {
      fail();
      return undefined;
    }
  };
  const flush = () => {
    const calls = queue;
    queue = [];
    // Workers are made at the first call, whatever its size: a catch-up verifies its head first,
    // so they have started by the time its commits arrive (starting one takes a few hundred ms).
    const pool = broken ? undefined : start();
    if (!pool || broken || calls.length < minBatch) return here(calls);
    // Even slices, so each worker gets a share of a turn.
    const slices = Math.max(pool.length, Math.ceil(calls.length / maxBatch));
    const per = Math.ceil(calls.length / slices);
    const requests: VerifyRequest[] = [];
    for (let from = 0; from < calls.length; from += per) {
      const slice = calls.slice(from, from + per);
      const batch = batchIds++;
      sent.set(batch, slice);
      requests.push(packBatch(batch, slice));
    }
    try {
      for (const request of requests)
        pool[next++ % pool.length]!.postMessage(request, [request.bytes.buffer, request.ends.buffer]);
    } catch {
      fail(); // every batch of this turn is in `sent`, so all of them are verified here
    }
  };

  return (signature, message, publicKey) =>
    new Promise<boolean>((resolve) => {
      if (queue.length === 0) queueMicrotask(flush);
      queue.push({ signature, message, publicKey, resolve });
    });
}
