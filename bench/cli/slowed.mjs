// The positive controls of bench/cli.bench.ts, preloaded into a murmur process (node --import) so that it
// is slower by construction and its goal must say no. MURMUR_BENCH_SLOWED says how:
//   verify  every Ed25519 verify through WebCrypto also verifies the signature four times more with
//           node:crypto, on the main thread: four times the raw baseline's work on top of the process's own,
//           so its ratio stays far below the goal's 0.5 even when load swings between it and its baseline
//   start   300 ms of busy work before the command starts (the warm goal allows 250 ms over `node -e 0`)
import { KeyObject, verify } from 'node:crypto';

const how = process.env.MURMUR_BENCH_SLOWED;
if (how === 'verify') {
  const subtle = globalThis.crypto.subtle;
  const original = subtle.verify.bind(subtle);
  const keys = new WeakMap();
  subtle.verify = (algorithm, key, signature, data) => {
    if (algorithm?.name === 'Ed25519') {
      const node = keys.get(key) ?? KeyObject.from(key);
      keys.set(key, node);
      for (let i = 0; i < 4; i++) verify(null, data, node, signature);
    }
    return original(algorithm, key, signature, data);
  };
} else if (how === 'start') {
  const until = performance.now() + 300;
  while (performance.now() < until) {}
} else {
  throw new Error(`MURMUR_BENCH_SLOWED is verify or start, not ${how}`);
}
