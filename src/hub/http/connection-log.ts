/**
 * For measurement only (MURMUR_CONNECTION_LOG, config.ts): one JSON line per request naming the TCP
 * connection it arrived on, so a test can count what a hub could link by connection alone
 * (e2e/connection-linkability.spec.ts, PROTOCOL.md "What a hub can link"). Off by default: the hub's own
 * request log names no connection, no client address and no query.
 */
import type { Server } from 'node:http';
import type { Socket } from 'node:net';

export interface ConnectionLogLine {
  /** Milliseconds since the epoch, as the request arrived. */
  readonly t: number;
  /** The connection's number on this hub, counted from 1 in the order they opened (ports can be reused). */
  readonly connection: number;
  /** The client's port: the connection as any hub sees it. */
  readonly remotePort: number | undefined;
  readonly method: string | undefined;
  /** The request target as sent: path and query. */
  readonly target: string | undefined;
  /** The signer a signed request names (PROTOCOL.md, "Signed requests"). */
  readonly author: string | undefined;
  /** Tells a browser's requests from a test's own look at the hub. */
  readonly userAgent: string | undefined;
}

/** Writes one ConnectionLogLine (as JSON) per request `server` receives, as it arrives. */
export function logConnections(server: Server, write: (line: string) => void): void {
  const numbers = new WeakMap<Socket, number>();
  let opened = 0;
  server.on('connection', (socket: Socket) => numbers.set(socket, ++opened));
  server.on('request', (req) => {
    const author = req.headers['murmur-author'];
    const line: ConnectionLogLine = {
      t: Date.now(),
      connection: numbers.get(req.socket) ?? 0,
      remotePort: req.socket.remotePort,
      method: req.method,
      target: req.url,
      author: typeof author === 'string' ? author : undefined,
      userAgent: req.headers['user-agent'],
    };
    write(JSON.stringify(line));
  });
}
