/**
 * What clients may hold of the hub at once: open connections (in total and
 * per client address), and time. A connection past a cap is answered
 * TooManyConnections (503) and closed at its first request (or at once, when
 * REFUSALS_ANSWERED refused ones are already waiting for theirs); a connection
 * whose answer has bytes waiting that the client does not take for stallMs
 * is cut, so a reader that stops reading lets go of its socket, its buffers
 * and whatever its answer was waiting to write (answer-stream.ts). Event
 * streams per address are capped by StreamHub (sse.ts) with the same limits.
 *
 * A trusted proxy's connections (--trusted-proxies) count in the total but
 * not against a per-address cap: behind a load balancer every socket is the
 * balancer's, and the client's own address is known only once a request's
 * X-Forwarded-For is read. The balancer caps clients' connections; the hub
 * still caps their streams and rates by the forwarded address.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { plainAddress } from '../client-address.ts';
import { sendError } from './http.ts';

export interface ConnectionLimits {
  /** Open connections at most; a new one past this is refused. */
  readonly maxConnections: number;
  /** Open connections from one client address at most. */
  readonly maxConnectionsPerAddress: number;
  /** Event streams (`/v1/stream`) open from one client address at most; past this TooManyStreams (429). */
  readonly maxStreamsPerAddress: number;
  /** A connection with an answer waiting that the client takes none of for this long is cut, in ms. */
  readonly stallMs: number;
}

export const DEFAULT_CONNECTION_LIMITS: ConnectionLimits = {
  maxConnections: 4096,
  // Generous for many people behind one NAT; a single client needs a handful.
  maxConnectionsPerAddress: 256,
  maxStreamsPerAddress: 128,
  stallMs: 30_000,
};

/** Refused connections kept open at once to be told why; past this a refused connection is closed before it is read. */
const REFUSALS_ANSWERED = 64;

interface Watch {
  readonly address: string;
  /** Bytes the socket had sent at the last check, and when it was first seen stuck at that count. */
  sent: number;
  stuckSince: number | undefined;
}

export interface ConnectionCounts {
  /** Connections open now (refused ones not counted). */
  readonly open: number;
  /** Of those, how many had an answer waiting that the client was not taking at the last check. */
  readonly stalled: number;
}

export class ConnectionGuard {
  readonly #limits: ConnectionLimits;
  readonly #trustedProxies: ReadonlySet<string>;
  readonly #open = new Map<Socket, Watch>();
  readonly #byAddress = new Map<string, number>();
  readonly #refused = new WeakSet<Socket>();
  readonly #sweep: NodeJS.Timeout;
  #stalled = 0;
  #refusing = 0;

  /** @param trustedProxies addresses (plainAddress form) whose connections no per-address cap counts */
  constructor(server: Server, limits: ConnectionLimits, trustedProxies: ReadonlySet<string> = new Set()) {
    this.#limits = limits;
    this.#trustedProxies = trustedProxies;
    server.on('connection', (socket: Socket) => this.#connected(socket));
    // Checked a few times per stall period, so a stall is cut between stallMs and 1.25 x stallMs after it began.
    this.#sweep = setInterval(() => this.#check(), Math.max(50, Math.min(1000, limits.stallMs / 4)));
    this.#sweep.unref();
    server.once('close', () => this.close());
  }

  get counts(): ConnectionCounts {
    return { open: this.#open.size, stalled: this.#stalled };
  }

  /**
   * Call first for each request: false (having answered TooManyConnections
   * and asked to close) when it came on a connection over the caps.
   */
  admit(req: IncomingMessage, res: ServerResponse): boolean {
    if (!this.#refused.has(req.socket)) return true;
    sendError(
      res,
      'TooManyConnections',
      'this hub has too many connections open (from your address, or in all); try again shortly',
      {
        connection: 'close',
        'retry-after': '5',
      },
    );
    return false;
  }

  close(): void {
    clearInterval(this.#sweep);
  }

  #connected(socket: Socket): void {
    const address = socket.remoteAddress ?? '';
    const fromAddress = this.#byAddress.get(address) ?? 0;
    const overAddress =
      fromAddress >= this.#limits.maxConnectionsPerAddress && !this.#trustedProxies.has(plainAddress(address));
    if (this.#open.size >= this.#limits.maxConnections || overAddress) {
      if (this.#refusing >= REFUSALS_ANSWERED) return void socket.destroy();
      this.#refusing++;
      this.#refused.add(socket);
      socket.once('close', () => this.#refusing--);
      return;
    }
    this.#byAddress.set(address, fromAddress + 1);
    this.#open.set(socket, { address, sent: 0, stuckSince: undefined });
    socket.once('close', () => {
      this.#open.delete(socket);
      const left = (this.#byAddress.get(address) ?? 1) - 1;
      if (left === 0) this.#byAddress.delete(address);
      else this.#byAddress.set(address, left);
    });
  }

  #check(): void {
    const now = performance.now();
    let stalled = 0;
    for (const [socket, watch] of this.#open) {
      // bytesWritten counts what was handed to write(), buffered
      // included; less what is still queued, it is what went out.
      const sent = socket.bytesWritten - socket.writableLength;
      if (socket.writableLength === 0 || sent !== watch.sent) {
        watch.sent = sent;
        watch.stuckSince = undefined;
        continue;
      }
      stalled++;
      watch.stuckSince ??= now;
      if (now - watch.stuckSince >= this.#limits.stallMs) socket.destroy();
    }
    this.#stalled = stalled;
  }
}
