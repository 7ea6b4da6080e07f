// The positive controls of the hub bench's CPU and rate goals (bench/hub.bench.ts), preloaded into a hub process
// (node --import): each request whose method and path start as one of MURMUR_BENCH_SLOWED's entries first hashes
// that entry's KiB with sha256 on the hub's thread, so its CPU per request is higher by construction and the
// row's goal must say no. MURMUR_BENCH_SLOWED is a comma-separated list of `METHOD /path/prefix KIB`, e.g.
// `GET /v1/blobs/ 256,PUT /v1/heads/ 1024`. Fixed work, not a wait on the clock: on a loaded machine a spin for a
// time costs less CPU than its time whenever the process is preempted.
import { createHash } from 'node:crypto';
import { Server } from 'node:http';

const spec = process.env.MURMUR_BENCH_SLOWED ?? '';
const slowed = spec.split(',').map((entry) => {
  const [method, prefix, kib] = entry.trim().split(/\s+/);
  if (!method || !prefix?.startsWith('/') || !(Number(kib) > 0))
    throw new Error(`MURMUR_BENCH_SLOWED entries are "METHOD /path/prefix KIB", not "${entry}" (in "${spec}")`);
  return { method, prefix, bytes: new Uint8Array(Number(kib) * 1024).fill(7) };
});
const emit = Server.prototype.emit;
Server.prototype.emit = function (event, request, ...rest) {
  if (event === 'request') {
    const match = slowed.find((s) => request.method === s.method && request.url.startsWith(s.prefix));
    if (match) createHash('sha256').update(match.bytes).digest();
  }
  return emit.call(this, event, request, ...rest);
};
