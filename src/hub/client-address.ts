/**
 * The address a request came from, for the guards that count per client
 * (write rates, address budgets, event streams). Behind a load balancer every
 * socket comes from the balancer, so its X-Forwarded-For is read, but only
 * when the socket's peer is one of the operator's trusted proxies
 * (--trusted-proxies): anyone else could write any address there. The list is
 * read from the right, where the proxies appended what they saw, and the first
 * entry that is not itself a trusted proxy is the client; entries left of it
 * were written by the client and are ignored.
 */
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';

/** `::ffff:a.b.c.d` (an IPv4 client of a dual-stack socket) as `a.b.c.d`, so one client has one name. */
export function plainAddress(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return (mapped ? mapped[1]! : address).toLowerCase();
}

/** Whose address a request counts against: clientAddress with the hub's trusted proxies, or socketAddress. */
export type AddressOf = (req: IncomingMessage) => string;

/** The socket's peer, for a hub with no proxy in front. */
export const socketAddress: AddressOf = (req) => plainAddress(req.socket.remoteAddress ?? '');

/**
 * @param trustedProxies addresses (plainAddress form) whose X-Forwarded-For is believed; empty: none is.
 * @returns the client's address ('' when the socket has none, as after it closed).
 */
export function clientAddress(req: IncomingMessage, trustedProxies: ReadonlySet<string>): string {
  const peer = plainAddress(req.socket.remoteAddress ?? '');
  if (!trustedProxies.has(peer)) return peer;
  const header = req.headers['x-forwarded-for'];
  const hops = (Array.isArray(header) ? header.join(',') : (header ?? '')).split(',').map((h) => h.trim());
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = plainAddress(hops[i]!);
    if (isIP(hop) === 0) return peer; // a proxy wrote something unreadable: count it against the proxy
    if (!trustedProxies.has(hop)) return hop;
  }
  return peer;
}
