/**
 * The unit a client address is charged as: an IPv4 address by itself, an
 * IPv6 address by its /64. One host is commonly given a whole /64 (SLAAC,
 * privacy addresses), so charging single IPv6 addresses would let it rotate
 * through 2^64 fresh budgets; an IPv4 address is scarce enough on its own.
 */
import { isIPv4, isIPv6 } from 'node:net';

/** The key of `remote`'s group: "192.0.2.1", "2001:db8:0:1::/64", or "unknown" when Node gave no address. */
export function addressGroup(remote: string | undefined): string {
  // A zone (fe80::1%eth0) names the hub's own interface, not the client.
  const address = (remote ?? '').split('%')[0]!;
  // A dual-stack socket shows IPv4 clients as ::ffff:a.b.c.d; they are IPv4 clients.
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped && isIPv4(mapped[1]!)) return mapped[1]!;
  if (isIPv4(address)) return address;
  if (isIPv6(address))
    return `${hextets(address)
      .slice(0, 4)
      .map((h) => h.toString(16))
      .join(':')}::/64`;
  return 'unknown';
}

/** The eight 16-bit groups of a valid IPv6 address (:: expanded, a dotted IPv4 tail folded into two groups). */
function hextets(v6: string): number[] {
  let text = v6;
  const tail = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (tail) {
    const [a, b, c, d] = tail.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, tail.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const parse = (part: string | undefined) => (part ? part.split(':').map((h) => parseInt(h, 16)) : []);
  const [head, rest] = text.split('::');
  const before = parse(head);
  const after = parse(rest);
  return [...before, ...new Array<number>(8 - before.length - after.length).fill(0), ...after];
}
