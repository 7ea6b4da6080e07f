// Bundled into a page by bench/chromium.ts.
import { makeCommits, verifyRound } from '../verify-scenario.ts';

const commits = makeCommits(2000);
(globalThis as unknown as { verifyRound: (extra?: number) => unknown }).verifyRound = (extra = 0) =>
  verifyRound(crypto.subtle, commits, () => performance.now(), undefined, extra);
