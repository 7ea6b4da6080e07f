/**
 * The hub benchmark's blob GET scenario (bench/hub.bench.ts): a working set
 * larger than any cache the hub could answer from, so each GET reads its
 * blob from the store on disk. The blobs are distinct, more bytes in all
 * than the hub's cache of small blobs (store/blob-cache.ts, put in front of
 * S3), asked in turn so that no blob is asked twice until all were; the bare
 * server reads the same blobs as files from disk (bench/hub/bare-server.ts),
 * one file per request, to do the same work.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Agent } from 'node:http';
import { BLOB_CACHE_LIMITS } from '../../src/hub/store/blob-cache.ts';
import { hashBytes } from '../../src/protocol/ids.ts';
import type { SecretKey } from '../../src/protocol/keys.ts';
import { newRequestNonce, signRequest } from '../../src/protocol/request-auth.ts';
import type { Side } from './compare.ts';
import { type LoadResult, runLoad, send } from './load-client.ts';

/** Distinct blobs asked in turn (BENCH_GET_BLOBS while tuning). */
export const GET_BLOBS = Number(process.env.BENCH_GET_BLOBS ?? 20_000);

/**
 * KiB hashed (sha256) before each blob GET of the control hub (bench/hub/slowed-requests.mjs): about 100-150 us of
 * CPU here, as much as the bare server's whole request.
 */
export const SLOWED_GET_KIB = 256;

/** Whether `count` blobs of `size` bytes outgrow the hub's blob cache (the bench says so in its notes). */
export function outgrowsCache(count: number, size: number): boolean {
  return count * size > BLOB_CACHE_LIMITS.maxBytes;
}

/**
 * `count` distinct blobs of `size` bytes, put to the hub (signed, 32 at a
 * time) and written as files named by id into `dir` for the bare server.
 * @returns their ids, in the order they are asked
 */
export async function seedBlobs(
  agent: Agent,
  hubUrl: string,
  key: SecretKey,
  options: { count: number; size: number; dir: string },
): Promise<string[]> {
  const blobs = Array.from({ length: options.count }, () => crypto.getRandomValues(new Uint8Array(options.size)));
  const ids = blobs.map((b) => hashBytes(b));
  for (const [i, id] of ids.entries()) writeFileSync(join(options.dir, id), blobs[i]!);
  const host = new URL(hubUrl).host;
  await runLoad({
    loops: 32,
    durationMs: 1e9,
    maxRequests: options.count,
    expect: [201],
    one: (i) => {
      const path = `/v1/blobs/${ids[i]}`;
      const headers = signRequest(key, {
        method: 'PUT',
        path,
        body: blobs[i]!,
        ts: Date.now(),
        host,
        nonce: newRequestNonce(),
      });
      return send(agent, new URL(hubUrl + path), 'PUT', headers, blobs[i]!);
    },
  });
  return ids;
}

/**
 * A side of the comparison asking `ids` in turn, each request the next blob
 * (wrapping around after the last), from where its previous round stopped.
 * @param urlOf the URL of one blob on this side
 */
export function blobGetSide(
  pid: number,
  ids: readonly string[],
  urlOf: (id: string) => string,
  load: (one: (i: number) => Promise<number>) => Promise<LoadResult>,
  agent: () => Agent,
): Side {
  let at = 0;
  return {
    pid,
    run: async () => {
      const r = await load((i) => send(agent(), new URL(urlOf(ids[(at + i) % ids.length]!)), 'GET'));
      at = (at + r.requests) % ids.length;
      return r;
    },
  };
}
