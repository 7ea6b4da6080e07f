/**
 * For the hub benchmark (bench/hub.bench.ts): the write scenarios' two
 * sides over one list of writes. A hub's side sends the list's next writes,
 * from where the last hub round stopped, because a write sent twice is
 * answered differently (a blob already stored, a head whose seq is not
 * above the last); the bare server's side sends the same bodies to its sink.
 */
import type { Agent } from 'node:http';
import type { SignedHead } from '../../src/protocol/heads.ts';
import { hashBytes } from '../../src/protocol/ids.ts';
import type { SecretKey } from '../../src/protocol/keys.ts';
import { newRequestNonce, signRequest } from '../../src/protocol/request-auth.ts';
import type { Side } from './compare.ts';
import { type LoadResult, send } from './load-client.ts';

export interface Write {
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly bytes: Uint8Array;
}

/** Runs a round of at most `maxRequests` requests from `loops` loops; a status not in `expected` fails it. */
export type Load = (
  maxRequests: number,
  one: (i: number) => Promise<number>,
  expected: number[],
  loops: number,
) => Promise<LoadResult>;

/**
 * `count` distinct blobs of `size` bytes, numbered from `first` in their first 4 bytes, each PUT signed by `key`
 * for `host`. Sign them after the hub starts (it refuses requests signed before it started as Replayed) and
 * before any connection opens (seconds of signing block the event loop while the servers close idle keep-alive
 * sockets, and a reused dead socket fails its request).
 */
export function signBlobPuts(key: SecretKey, host: string, o: { count: number; size: number; first: number }): Write[] {
  return Array.from({ length: o.count }, (_, i) => {
    const bytes = new Uint8Array(o.size);
    new DataView(bytes.buffer).setUint32(0, o.first + i);
    const path = `/v1/blobs/${hashBytes(bytes)}`;
    return {
      path,
      bytes,
      headers: signRequest(key, { method: 'PUT', path, body: bytes, ts: Date.now(), host, nonce: newRequestNonce() }),
    };
  });
}

/** Head PUTs: unsigned requests, each body a signed head. */
export function headPuts(heads: readonly SignedHead[]): Write[] {
  return heads.map((h) => ({ path: `/v1/heads/${h.head.author}`, headers: {}, bytes: h.bytes }));
}

/** A list of writes and how far the hubs' rounds have sent it. */
export class WriteList {
  #at = 0;

  /** @param status what a hub answers each write */
  constructor(
    readonly writes: readonly Write[],
    readonly status: number,
  ) {}

  /** The bare server's sink and a hub as two sides: `loops` concurrent loops, at most `perRound` writes a round. */
  sides(o: {
    load: Load;
    agent: () => Agent;
    loops: number;
    perRound: number;
    bare: { readonly pid: number; readonly url: string };
    hub: { readonly pid: number; readonly url: string };
  }): [Side, Side] {
    const sink = new URL(`${o.bare.url}/sink`);
    const write = (i: number) => {
      const w = this.writes[this.#at + i];
      if (!w) throw new RangeError(`the list holds ${this.writes.length} writes, not ${this.#at + i + 1}`);
      return w;
    };
    return [
      {
        pid: o.bare.pid,
        run: () =>
          o.load(o.perRound, (i) => send(o.agent(), sink, 'PUT', write(i).headers, write(i).bytes), [200], o.loops),
      },
      {
        pid: o.hub.pid,
        run: async () => {
          const r = await o.load(
            o.perRound,
            (i) => send(o.agent(), new URL(o.hub.url + write(i).path), 'PUT', write(i).headers, write(i).bytes),
            [this.status],
            o.loops,
          );
          this.#at += r.requests;
          return r;
        },
      },
    ];
  }
}

/**
 * KiB hashed (sha256) before each blob or head PUT of the control hub (bench/hub/slowed-requests.mjs): about
 * 600 us of CPU here, so that work alone caps the hub's one thread under 1,700 PUTs a second, below both write
 * goals' share (0.5x and 0.7x) of the bare server's 5,000-odd, whatever the hub's own work costs.
 */
export const SLOWED_PUT_KIB = 1024;
