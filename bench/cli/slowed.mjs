// The positive controls of bench/cli.bench.ts, preloaded into a murmur process (node --import) so that it
// is slower by construction and its goal must say no. MURMUR_BENCH_SLOWED says how:
//   work   MURMUR_BENCH_WORK_MS of busy work before the command starts: the bench passes four times the time
//          its raw baseline took that round, so the control does four times the baseline's work on top of the
//          run's own and its ratio stays far below the goal's 0.5 even when load swings. (It once hooked
//          WebCrypto's verify; since the command line verifies on worker threads with node:crypto that hook
//          was never reached and the control said yes: a control must not depend on how the run verifies.)
//   start  300 ms of busy work before the command starts (the warm goal allows 250 ms over `node -e 0`)
const how = process.env.MURMUR_BENCH_SLOWED;
const busyMs = how === 'start' ? 300 : how === 'work' ? Number(process.env.MURMUR_BENCH_WORK_MS) : Number.NaN;
if (!(busyMs > 0)) throw new Error(`MURMUR_BENCH_SLOWED is work (with MURMUR_BENCH_WORK_MS) or start, not ${how}`);
const until = performance.now() + busyMs;
while (performance.now() < until) {}
