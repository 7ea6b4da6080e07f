// The positive control of the blob GET row (bench/hub.bench.ts), preloaded into a hub process (node --import):
// each blob GET first hashes MURMUR_BENCH_SLOWED_KIB KiB with sha256 on the hub's thread, so its CPU per request
// is higher by construction and the row's goal must say no. Fixed work, not a wait on the clock: on a loaded
// machine a spin for a time costs less CPU than its time whenever the process is preempted.
import { createHash } from 'node:crypto';
import { Server } from 'node:http';

const kib = Number(process.env.MURMUR_BENCH_SLOWED_KIB);
if (!(kib > 0))
  throw new Error(`MURMUR_BENCH_SLOWED_KIB is a number of KiB, not ${process.env.MURMUR_BENCH_SLOWED_KIB}`);
const bytes = new Uint8Array(kib * 1024).fill(7);
const emit = Server.prototype.emit;
Server.prototype.emit = function (event, request, ...rest) {
  if (event === 'request' && request.method === 'GET' && request.url.startsWith('/v1/blobs/')) {
    createHash('sha256').update(bytes).digest();
  }
  return emit.call(this, event, request, ...rest);
};
