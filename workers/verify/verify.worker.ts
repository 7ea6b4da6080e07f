/**
 * A verify worker (verify-pool.ts): answers each batch of signatures with one
 * byte per signature, using the fastest verifier this platform has.
 */
import { pickVerify } from '../../src/protocol/keys.ts';
import { type VerifyRequest, answerBatch } from './verify-pool.ts';

const verify = pickVerify();

self.addEventListener('message', (event: MessageEvent<VerifyRequest>) => {
  void verify.then((v) => answerBatch(event.data, v)).then((answer) => self.postMessage(answer, [answer.ok.buffer]));
});
