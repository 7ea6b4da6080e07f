/**
 * Three hostile mirror peers (node:http servers) for the hostile-peer test
 * and benchmark: one whose stream sends GARBAGE_BYTES without ever ending an
 * event, one whose change page never ends, one whose blob batch answer is
 * GARBAGE_BYTES. Each holds its hostile answer, the request pending, until
 * open() is called, so a measurement can take its baseline first.
 */
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { headToJson } from '../../protocol/heads.ts';
import { alice, aliceKey, signedHead } from './hub-fixture.ts';

const MiB = 1024 * 1024;
export const GARBAGE_BYTES = 64 * MiB;

type Route = (req: IncomingMessage, res: ServerResponse) => Promise<void> | void;

export interface HostilePeers {
  /** The stream peer's, the page peer's and the batch peer's origins. */
  readonly urls: readonly string[];
  /** The hostile requests the hub has made so far and that wait for open() ('stream', 'page', 'batch'). */
  readonly pending: ReadonlySet<string>;
  /** Bytes each hostile answer got into its socket before the hub hung up. */
  readonly sent: Readonly<Record<string, number>>;
  /** Lets the hostile answers go. */
  open(): void;
  close(): Promise<void>;
}

/**
 * Writes `head`, then `fill` over and over up to `total` bytes, waiting for 'drain'.
 * @returns the bytes the socket took.
 */
export async function flood(
  res: ServerResponse,
  head: Uint8Array,
  fill: Uint8Array,
  total = GARBAGE_BYTES,
): Promise<number> {
  let sent = 0;
  const write = (b: Uint8Array) => {
    sent += b.length;
    return res.write(b);
  };
  write(head);
  while (sent < total && !res.destroyed) {
    if (write(fill)) continue;
    await new Promise<void>((resolve) => {
      const done = () => {
        res.off('drain', done).off('close', done);
        resolve();
      };
      res.on('drain', done).on('close', done);
    });
  }
  res.end();
  return sent;
}

/** A peer answering `routes` by path (404 otherwise), on 127.0.0.1 and a free port. */
export async function fakePeer(servers: Server[], routes: Record<string, Route>): Promise<string> {
  const server = createServer((req, res) => {
    const route = routes[(req.url ?? '').split('?')[0]!];
    if (!route) return void res.writeHead(404).end();
    req.resume();
    void route(req, res);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const json = (res: ServerResponse, body: unknown) =>
  void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
export const noChanges: Route = (_, res) => json(res, { changes: [], next: 0, last: 0 });
/** A well-behaved stream that stays open. */
export const quietStream: Route = (_, res) => {
  res.writeHead(200, { 'content-type': 'text/event-stream' }).write('retry: 2000\n\n');
};

export async function startHostilePeers(): Promise<HostilePeers> {
  const servers: Server[] = [];
  const pending = new Set<string>();
  const sent: Record<string, number> = {};
  let open!: () => void;
  const gate = new Promise<void>((resolve) => {
    open = resolve;
  });
  /** Waits for the gate with the request pending, then floods. */
  const hostile =
    (name: string, type: string, head: string | Uint8Array, fill: Uint8Array): Route =>
    async (_, res) => {
      pending.add(name);
      await gate;
      res.writeHead(200, { 'content-type': type });
      sent[name] = await flood(res, typeof head === 'string' ? new TextEncoder().encode(head) : head, fill);
    };
  const x = new Uint8Array(64 * 1024).fill(0x78);
  const streamPeer = await fakePeer(servers, {
    '/v1/changes': noChanges,
    // No newline at all: an event that never ends.
    '/v1/stream': hostile('stream', 'text/event-stream', 'retry: 2000\n\nevent: head\ndata: ', x),
  });
  const pageRecords = new TextEncoder().encode('{"seq":1,"author":"x"},'.repeat(2048));
  const pagePeer = await fakePeer(servers, {
    '/v1/changes': hostile('page', 'application/json', '{"changes":[', pageRecords),
    '/v1/stream': quietStream,
  });
  // A valid head, so the hub goes on to fetch its commit in a batch; the batch frame claims 4 GiB.
  const { head } = signedHead(aliceKey, 1);
  const frame = new Uint8Array(36).fill(0xab);
  new DataView(frame.buffer).setUint32(32, 0xffffffff);
  const batchPeer = await fakePeer(servers, {
    '/v1/changes': (_, res) =>
      json(res, { changes: [{ seq: 1, author: alice, head: headToJson(head) }], next: 1, last: 1 }),
    '/v1/stream': quietStream,
    '/v1/blobs/batch': hostile('batch', 'application/octet-stream', frame, x),
  });
  return {
    urls: [streamPeer, pagePeer, batchPeer],
    pending,
    sent,
    open,
    async close() {
      open();
      for (const s of servers) s.closeAllConnections();
      await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
    },
  };
}
