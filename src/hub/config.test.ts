/** Hub settings: defaults, environment, flags over environment, and refusals of bad values. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, test } from 'vitest';
import { readConfig } from './config.ts';
import { DEFAULT_CONNECTION_LIMITS } from './http/connection-guard.ts';
import { DEFAULT_SEEN_LIMITS } from './store/seen-requests.ts';
import { DEFAULT_LIMITS, DEFAULT_TIMEOUTS } from './hub-limits.ts';

const carol = 'c'.repeat(64);

test('defaults', () => {
  expect(readConfig([], {})).toEqual({
    host: '127.0.0.1',
    port: 8787,
    publicHosts: undefined,
    dataDir: resolve('.data'),
    store: undefined,
    blobs: undefined,
    trustedProxies: [],
    peers: [],
    mirrorAuthors: undefined,
    appDir: undefined,
    name: undefined,
    limits: { ...DEFAULT_LIMITS, seenRequests: DEFAULT_SEEN_LIMITS },
    timeouts: DEFAULT_TIMEOUTS,
    connections: DEFAULT_CONNECTION_LIMITS,
    log: true,
    connectionLog: undefined,
  });
});

/**
 * README.md's settings table ("Running a hub"): each flag and its default cell, backticks dropped; a row of two
 * flags (`--rate-ip`, `--rate-ip-burst`) gives each its part of the cell ("200/s, 5000").
 */
function readmeDefaults(): Map<string, string> {
  const text = readFileSync(resolve(import.meta.dirname, '../../README.md'), 'utf8');
  const lines = text.slice(text.indexOf('\n## Running a hub')).split('\n');
  const start = lines.findIndex((l) => l.startsWith('|'));
  const table = lines.slice(
    start,
    lines.findIndex((l, i) => i > start && !l.startsWith('|')),
  );
  return new Map(
    table
      .filter((row) => row.startsWith('| `--'))
      .flatMap((row) => {
        const [flags, , value] = row
          .split(/(?<!\\)\|/)
          .slice(1)
          .map((cell) => cell.trim().replaceAll('`', ''));
        const names = flags!.split(', ');
        const values = names.length > 1 ? value!.split(', ') : [value!];
        return names.map((flag, i) => [flag, values[i]!] as const);
      }),
  );
}

/**
 * A README default cell as a value: sizes, counts and rates as numbers; "none" an empty list; "all" (no filter)
 * and "the data folder" (no other store) no setting.
 */
function meaning(cell: string): unknown {
  const size = /^(\d+) (MiB|GiB)$/.exec(cell);
  if (size) return Number(size[1]) * 1024 ** (size[2] === 'MiB' ? 2 : 3);
  const number = /^(\d+)(\/s| \(off\))?$/.exec(cell);
  if (number) return Number(number[1]);
  if (cell === 'none') return [];
  if (cell === 'all' || cell === 'the data folder') return undefined;
  return cell;
}

test("the defaults are the README's table, row by row", () => {
  const c = readConfig([], {});
  const got: Record<string, unknown> = {
    '--host': c.host,
    '--port': c.port,
    '--data': c.dataDir,
    '--store': c.store,
    '--blobs': c.blobs,
    '--trusted-proxies': c.trustedProxies,
    '--peers': c.peers,
    '--mirror-authors': c.mirrorAuthors,
    '--blob-limit': c.limits.blobBytes,
    '--record-limit': c.limits.recordBytes,
    '--quota-bytes': c.limits.quotaBytes,
    '--address-bytes': c.limits.addressBytes,
    '--disk-bytes': c.limits.diskBytes,
    '--batch-bytes': c.limits.batchBytes,
    '--rate-pseudonym': c.limits.perPseudonym.perSecond,
    '--rate-pseudonym-burst': c.limits.perPseudonym.burst,
    '--rate-ip': c.limits.perIp.perSecond,
    '--rate-ip-burst': c.limits.perIp.burst,
    '--seen-requests': c.limits.seenRequests?.total,
    '--seen-requests-per-signer': c.limits.seenRequests?.perSigner,
    '--headers-timeout': c.timeouts.headersMs,
    '--request-timeout': c.timeouts.requestMs,
    '--keep-alive-timeout': c.timeouts.keepAliveMs,
    '--max-connections': c.connections.maxConnections,
    '--max-connections-per-address': c.connections.maxConnectionsPerAddress,
    '--max-streams-per-address': c.connections.maxStreamsPerAddress,
    '--stall-timeout': c.connections.stallMs,
  };
  // Applied after readConfig, by startHub (server.ts: the name and public hosts) and main.ts (the app folder).
  const later = { '--public-hosts': c.publicHosts, '--aliases': c.aliases, '--name': c.name, '--app': c.appDir };
  const readme = readmeDefaults();
  expect([...readme.keys()].sort()).toEqual([...Object.keys(got), ...Object.keys(later)].sort()); // every row, no other
  const fromReadme = Object.fromEntries(
    Object.keys(got).map((flag) => [flag, flag === '--data' ? resolve(readme.get(flag)!) : meaning(readme.get(flag)!)]),
  );
  expect(got).toEqual(fromReadme);
  expect(later).toEqual({
    '--public-hosts': undefined,
    '--aliases': undefined,
    '--name': undefined,
    '--app': undefined,
  });
});

test('environment, then flags (both --flag value and --flag=value) over it', () => {
  const env = {
    MURMUR_HOST: '0.0.0.0',
    MURMUR_PORT: '9000',
    MURMUR_PUBLIC_HOSTS: 'Hub.Example, hub.example:8443,',
    MURMUR_DATA: '/srv/murmur',
    MURMUR_STORE: 'postgres://murmur@db.internal:5432/murmur',
    MURMUR_BLOBS: 's3://key:secret@s3.internal:7480/murmur-blobs?region=eu',
    MURMUR_TRUSTED_PROXIES: '10.0.0.5, ::ffff:10.0.0.6',
    MURMUR_PEERS: 'https://a.example/, http://127.0.0.1:9001,',
    MURMUR_LOG: 'off',
    MURMUR_CONNECTION_LOG: 'connections.jsonl',
    MURMUR_BLOB_LIMIT: '1024',
    MURMUR_RECORD_LIMIT: '2048',
    MURMUR_QUOTA_BYTES: '5000000000',
    MURMUR_ADDRESS_BYTES: '0',
    MURMUR_DISK_BYTES: '900000000000',
    MURMUR_BATCH_BYTES: '65536',
    MURMUR_MIRROR_AUTHORS: `${carol}`,
    MURMUR_RATE_PSEUDONYM: '5',
    MURMUR_RATE_PSEUDONYM_BURST: '10',
    MURMUR_RATE_IP: '0',
    MURMUR_RATE_IP_BURST: '30',
    MURMUR_SEEN_REQUESTS: '1000000',
    MURMUR_SEEN_REQUESTS_PER_SIGNER: '300000',
    MURMUR_HEADERS_TIMEOUT: '1000',
    MURMUR_REQUEST_TIMEOUT: '60000',
    MURMUR_KEEP_ALIVE_TIMEOUT: '2000',
    MURMUR_MAX_CONNECTIONS: '100',
    MURMUR_MAX_CONNECTIONS_PER_ADDRESS: '10',
    MURMUR_MAX_STREAMS_PER_ADDRESS: '4',
    MURMUR_STALL_TIMEOUT: '5000',
  };
  expect(readConfig([], env)).toMatchObject({
    host: '0.0.0.0',
    store: 'postgres://murmur@db.internal:5432/murmur',
    blobs: 's3://key:secret@s3.internal:7480/murmur-blobs?region=eu',
    trustedProxies: ['10.0.0.5', '10.0.0.6'],
    port: 9000,
    publicHosts: ['hub.example', 'hub.example:8443'],
    dataDir: '/srv/murmur',
    peers: ['https://a.example', 'http://127.0.0.1:9001'],
    log: false,
    connectionLog: resolve('connections.jsonl'),
    mirrorAuthors: [carol],
    limits: {
      blobBytes: 1024,
      recordBytes: 2048,
      quotaBytes: 5_000_000_000,
      addressBytes: 0,
      diskBytes: 900_000_000_000,
      batchBytes: 65536,
      perPseudonym: { perSecond: 5, burst: 10 },
      perIp: { perSecond: 0, burst: 30 },
      seenRequests: { total: 1_000_000, perSigner: 300_000 },
    },
    timeouts: { headersMs: 1000, requestMs: 60000, keepAliveMs: 2000 },
    connections: { maxConnections: 100, maxConnectionsPerAddress: 10, maxStreamsPerAddress: 4, stallMs: 5000 },
  });
  const flags = [
    '--public-hosts',
    'murmur.example',
    '--port',
    '0',
    '--data=/tmp/x',
    '--host',
    '::1',
    '--app',
    '/srv/app',
    '--peers',
    '',
    '--blob-limit=99',
    '--address-bytes',
    '123',
    '--disk-bytes=456',
    '--batch-bytes=4096',
    '--rate-ip',
    '7',
    '--mirror-authors',
    '',
    '--headers-timeout=3000',
    '--max-connections-per-address',
    '20',
    '--stall-timeout=800',
  ];
  expect(readConfig(flags, env)).toMatchObject({
    host: '::1',
    port: 0,
    publicHosts: ['murmur.example'],
    dataDir: '/tmp/x',
    appDir: '/srv/app',
    peers: [],
    mirrorAuthors: undefined,
    limits: { blobBytes: 99, addressBytes: 123, diskBytes: 456, batchBytes: 4096, perIp: { perSecond: 7, burst: 30 } },
    timeouts: { headersMs: 3000, requestMs: 60000, keepAliveMs: 2000 },
    connections: { maxConnections: 100, maxConnectionsPerAddress: 20, maxStreamsPerAddress: 4, stallMs: 800 },
  });
});

test('bad values and unknown flags are refused with a message saying which', () => {
  expect(() => readConfig(['--port', '70000'], {})).toThrow(/port/);
  expect(() => readConfig([], { MURMUR_PORT: 'http' })).toThrow(/port/);
  expect(() => readConfig(['--prot', '1'], {})).toThrow(/--prot/);
  expect(() => readConfig(['--data'], {})).toThrow(/--data needs a value/);
  expect(() => readConfig([], { MURMUR_BLOB_LIMIT: '0' })).toThrow(/blob limit/);
  expect(() => readConfig([], { MURMUR_RATE_IP: '-1' })).toThrow(/rate ip/);
  expect(() => readConfig([], { MURMUR_ADDRESS_BYTES: '4GiB' })).toThrow(/address bytes/);
  expect(() => readConfig(['--disk-bytes', '-1'], {})).toThrow(/disk bytes/);
  // Peers and clients read at most 8 MiB of a batch answer, so a hub may not promise more.
  expect(() => readConfig(['--batch-bytes', String(8 * 1024 * 1024 + 1)], {})).toThrow(/batch bytes/);
  expect(() => readConfig([], { MURMUR_BATCH_BYTES: '0' })).toThrow(/batch bytes/);
  expect(() => readConfig([], { MURMUR_PEERS: 'ftp://hub.example' })).toThrow(/peers/);
  expect(() => readConfig([], { MURMUR_PEERS: 'https://hub.example/some/path' })).toThrow(/peers/);
  expect(() => readConfig([], { MURMUR_MIRROR_AUTHORS: 'alice' })).toThrow(/mirror authors/);
  expect(() => readConfig([], { MURMUR_PUBLIC_HOSTS: 'https://hub.example' })).toThrow(/public hosts/);
  expect(() => readConfig(['--headers-timeout', '0'], {})).toThrow(/headers timeout/);
  expect(() => readConfig(['--request-timeout', '1000'], {})).toThrow(/request timeout/);
  expect(() => readConfig(['--public-hosts', 'hub.example/path'], {})).toThrow(/public hosts/);
  expect(() => readConfig(['--aliases', 'hub.example'], {})).toThrow(/aliases: "hub.example" is not \*\.host/);
  expect(() => readConfig([], { MURMUR_ALIASES: 'https://*.hub.example' })).toThrow(/aliases/);
  expect(readConfig(['--aliases', '*.Hub.example:8443'], {}).aliases).toBe('*.hub.example:8443');
  expect(() => readConfig(['--max-connections', '0'], {})).toThrow(/max connections/);
  expect(() => readConfig([], { MURMUR_STALL_TIMEOUT: '1s' })).toThrow(/stall timeout/);
  expect(() => readConfig([], { MURMUR_STORE: 'mysql://db/murmur' })).toThrow(/store: expected postgres:/);
  expect(() => readConfig(['--store', 'not a url'], {})).toThrow(/store: not a URL/);
  expect(() => readConfig([], { MURMUR_BLOBS: 'https://s3.example/bucket' })).toThrow(/blobs: expected s3:/);
  expect(readConfig([], { MURMUR_BLOBS: 's3+http://k:s@127.0.0.1:7480/b' }).blobs).toBe(
    's3+http://k:s@127.0.0.1:7480/b',
  );
  expect(() => readConfig([], { MURMUR_TRUSTED_PROXIES: 'lb.internal' })).toThrow(/trusted proxies/);
});
