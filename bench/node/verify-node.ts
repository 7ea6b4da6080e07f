// Bundled and run in its own Node process by bench/protocol.bench.ts, as the
// built hub runs (one bundle, sha256 by node:crypto): prints one JSON line of rounds.
import { sha256Node } from '../../src/runtime/sha256-node.ts';
import { makeCommits, verifyRound } from '../verify-scenario.ts';

const rounds = Number(process.argv[2] ?? 15);
// The positive control: each signature verified this many times more on the commit side.
const extra = Number(process.argv[3] ?? 0);
const commits = makeCommits(2000);
await verifyRound(globalThis.crypto.subtle, commits, () => performance.now(), sha256Node); // warm up
const out = [];
for (let i = 0; i < rounds; i++)
  out.push(await verifyRound(globalThis.crypto.subtle, commits, () => performance.now(), sha256Node, extra));
process.stdout.write(`${JSON.stringify(out)}\n`);
