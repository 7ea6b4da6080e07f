// The positive control of the blob GET row (bench/hub.bench.ts), preloaded into a hub process (node --import):
// each blob GET first spends MURMUR_BENCH_SLOWED_US microseconds of busy CPU on the hub's thread, so its CPU per
// request is higher by construction and the row's goal must say no.
import { Server } from 'node:http';

const us = Number(process.env.MURMUR_BENCH_SLOWED_US);
if (!(us > 0))
  throw new Error(`MURMUR_BENCH_SLOWED_US is a number of microseconds, not ${process.env.MURMUR_BENCH_SLOWED_US}`);
const emit = Server.prototype.emit;
Server.prototype.emit = function (event, request, ...rest) {
  if (event === 'request' && request.method === 'GET' && request.url.startsWith('/v1/blobs/')) {
    const until = performance.now() + us / 1000;
    while (performance.now() < until) {}
  }
  return emit.call(this, event, request, ...rest);
};
