/** Whose address a request counts against, directly and behind trusted proxies. */
import type { IncomingMessage } from 'node:http';
import { expect, test } from 'vitest';
import { clientAddress } from './client-address.ts';

const request = (peer: string, forwardedFor?: string | string[]) =>
  ({
    socket: { remoteAddress: peer },
    headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor },
  }) as unknown as IncomingMessage;

const proxies = new Set(['10.0.0.5', '10.0.0.6']);

test.each([
  ['a direct client is its socket', request('198.51.100.7'), '198.51.100.7'],
  ['a direct client cannot claim another address', request('198.51.100.7', '203.0.113.9'), '198.51.100.7'],
  ['behind a trusted proxy, the address it saw', request('10.0.0.5', '203.0.113.9'), '203.0.113.9'],
  ["the client's own entries are ignored", request('10.0.0.5', '1.1.1.1, 203.0.113.9'), '203.0.113.9'],
  ['through two trusted proxies', request('10.0.0.5', '1.1.1.1, 203.0.113.9, 10.0.0.6'), '203.0.113.9'],
  ['repeated headers are one list', request('10.0.0.5', ['1.1.1.1', '203.0.113.9']), '203.0.113.9'],
  ['a trusted proxy that sends none counts as itself', request('10.0.0.5'), '10.0.0.5'],
  ['an unreadable entry counts against the proxy', request('10.0.0.5', '1.1.1.1, not-an-ip'), '10.0.0.5'],
  ['IPv4 on a dual-stack socket is plain IPv4', request('::ffff:10.0.0.5', '::FFFF:203.0.113.9'), '203.0.113.9'],
  ['IPv6 clients keep their form, lower case', request('10.0.0.6', '2001:DB8::1'), '2001:db8::1'],
])('%s', (_, req, expected) => {
  expect(clientAddress(req, proxies)).toBe(expected);
});

test('with no trusted proxies, the header is never read', () => {
  expect(clientAddress(request('10.0.0.5', '203.0.113.9'), new Set())).toBe('10.0.0.5');
});
