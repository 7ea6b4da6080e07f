import { describe, expect, test } from 'vitest';
import { fromHex } from '../../src/protocol/bytes.ts';
import { type Verify, nobleVerify, pickVerify, pseudonymOf, secretKeyFrom, sign } from '../../src/protocol/keys.ts';
import { type VerifyEndpoint, type VerifyRequest, answerBatch, pooledVerify } from './verify-pool.ts';

const keys = [1, 2, 3].map((n) => secretKeyFrom(new Uint8Array(32).fill(n)));

/** Signed messages by several keys; every third one's signature is broken. */
function calls(count: number) {
  return Array.from({ length: count }, (_, i) => {
    const secret = keys[i % keys.length]!;
    const message = new TextEncoder().encode(`message ${i} `.repeat(1 + (i % 5)));
    const signature = sign(message, secret);
    if (i % 3 === 0) signature[5]! ^= 1;
    return { signature, message, publicKey: fromHex(pseudonymOf(secret)), good: i % 3 !== 0 };
  });
}

/** A verify worker on a MessageChannel, as verify.worker.ts runs it; counts the signatures it checked. */
function channelWorker(
  verify: Verify,
  behave: (request: VerifyRequest) => 'answer' | 'crash' | 'ignore' = () => 'answer',
) {
  const { port1, port2 } = new MessageChannel();
  const seen = { batches: 0, signatures: 0 };
  port2.addEventListener('message', (event: MessageEvent<VerifyRequest>) => {
    seen.batches++;
    seen.signatures += event.data.ends.length / 3;
    const what = behave(event.data);
    if (what === 'crash') port1.dispatchEvent(new Event('error'));
    if (what === 'answer')
      void answerBatch(event.data, verify).then((answer) => port2.postMessage(answer, [answer.ok.buffer]));
  });
  port2.start();
  port1.start();
  const endpoint = Object.assign(port1 as unknown as VerifyEndpoint, { terminate: () => port1.close() });
  return { endpoint, seen };
}

describe('pooledVerify', () => {
  test('a large turn of calls goes to the workers, each answer its own, good and forged told apart', async () => {
    const verify = await pickVerify();
    const workers = [channelWorker(verify), channelWorker(verify)];
    let made = 0;
    const pooled = pooledVerify(nobleVerify, () => workers[made++]!.endpoint, { workers: 2, maxBatch: 100 });
    const input = calls(450);
    const results = await Promise.all(input.map((c) => pooled(c.signature, c.message, c.publicKey)));
    expect(results).toEqual(input.map((c) => c.good));
    expect(made).toBe(2);
    expect(workers.map((w) => w.seen.signatures)).toEqual([270, 180]); // 5 even slices of 90, taken in turn
    for (const w of workers) w.endpoint.terminate!();
  });

  test('a few calls stay on this thread (the workers are made at the first call, ready for a large turn)', async () => {
    const worker = channelWorker(nobleVerify);
    let made = 0;
    const pooled = pooledVerify(nobleVerify, () => {
      made++;
      return worker.endpoint;
    });
    const input = calls(5);
    expect(await Promise.all(input.map((c) => pooled(c.signature, c.message, c.publicKey)))).toEqual(
      input.map((c) => c.good),
    );
    expect(made).toBe(1);
    expect(worker.seen.batches).toBe(0);
    worker.endpoint.terminate!();
  });

  test('a worker not made, or dead with batches, leaves its calls here: none waits, none unchecked', async () => {
    const input = calls(60);
    const unmade = pooledVerify(nobleVerify, () => {
      throw new Error('no nested workers here');
    });
    expect(await Promise.all(input.map((c) => unmade(c.signature, c.message, c.publicKey)))).toEqual(
      input.map((c) => c.good),
    );

    // The second of two workers cannot be made: the first is stopped, and this thread verifies.
    const first = channelWorker(nobleVerify);
    let stopped = 0;
    let spawned = 0;
    const half = pooledVerify(
      nobleVerify,
      () => {
        if (spawned++ > 0) throw new Error('out of workers');
        return {
          ...first.endpoint,
          addEventListener: first.endpoint.addEventListener.bind(first.endpoint),
          postMessage: first.endpoint.postMessage.bind(first.endpoint),
          terminate: () => void stopped++,
        };
      },
      { workers: 2 },
    );
    expect(await Promise.all(input.map((c) => half(c.signature, c.message, c.publicKey)))).toEqual(
      input.map((c) => c.good),
    );
    expect(stopped).toBe(1);
    expect(first.seen.batches).toBe(0);
    first.endpoint.terminate!();

    const dying = channelWorker(nobleVerify, () => 'crash');
    const pooled = pooledVerify(nobleVerify, () => dying.endpoint, { maxBatch: 20 });
    expect(await Promise.all(input.map((c) => pooled(c.signature, c.message, c.publicKey)))).toEqual(
      input.map((c) => c.good),
    );
    await new Promise((r) => setTimeout(r, 20)); // batches posted before the crash still arrive
    const reached = dying.seen.batches;
    expect(reached).toBeGreaterThan(0);
    // Once broken, later turns are verified here.
    const later = calls(30);
    expect(await Promise.all(later.map((c) => pooled(c.signature, c.message, c.publicKey)))).toEqual(
      later.map((c) => c.good),
    );
    await new Promise((r) => setTimeout(r, 20));
    expect(dying.seen.batches).toBe(reached);
  });

  test('answerBatch reads each entry from the packed buffer, including malformed lengths', async () => {
    const [good] = calls(2).slice(1);
    const { packBatch } = await import('./verify-pool.ts');
    const request = packBatch(7, [
      good!,
      { ...good!, signature: good!.signature.subarray(0, 63) },
      { ...good!, publicKey: new Uint8Array(0) },
      good!,
    ]);
    expect(await answerBatch(request, nobleVerify)).toEqual({ batch: 7, ok: Uint8Array.from([1, 0, 0, 1]) });
  });
});
