/**
 * Hub settings from flags and the environment (flags win). Flags take
 * `--name value` or `--name=value`.
 *
 * | flag | environment | default |
 * |---|---|---|
 * | --host | MURMUR_HOST | 127.0.0.1 |
 * | --port | MURMUR_PORT | 8787 (0 = any free port) |
 * | --data | MURMUR_DATA | ./.data |
 * | --store | MURMUR_STORE | the data folder: or postgres://USER@HOST:PORT/DB for heads, logs and ledgers (f) |
 * | --blobs | MURMUR_BLOBS | the data folder: or s3://KEY:SECRET@HOST:PORT/BUCKET (s3+http:// for plain HTTP) (f) |
 * | --trusted-proxies | MURMUR_TRUSTED_PROXIES | none: load balancer addresses whose X-Forwarded-For is believed |
 * | --public-hosts | MURMUR_PUBLIC_HOSTS | HOST:PORT, localhost:PORT, 127.0.0.1:PORT (a) |
 * | --peers | MURMUR_PEERS | none: comma-separated hub origins to mirror |
 * | --mirror-authors | MURMUR_MIRROR_AUTHORS | all: comma-separated pseudonyms to mirror |
 * | --app | | dist/app beside the built hub |
 * | --name | MURMUR_NAME | "Murmur hub" |
 * | --blob-limit | MURMUR_BLOB_LIMIT | 10 MiB |
 * | --record-limit | MURMUR_RECORD_LIMIT | 4096 (heads, claims, notices) |
 * | --quota-bytes | MURMUR_QUOTA_BYTES | 1 GiB per pseudonym (0 = off) |
 * | --address-bytes | MURMUR_ADDRESS_BYTES | 4 GiB newly stored per client address (b) (0 = off) |
 * | --disk-bytes | MURMUR_DISK_BYTES | 0 = off: bytes the data folder may hold (past it writes are HubFull (d)) |
 * | --batch-bytes | MURMUR_BATCH_BYTES | 8 MiB, the most: a blob batch answer stops before this (g) |
 * | --rate-pseudonym, --rate-pseudonym-burst | MURMUR_RATE_PSEUDONYM, MURMUR_RATE_PSEUDONYM_BURST | 50/s, 2000 |
 * | --rate-ip, --rate-ip-burst | MURMUR_RATE_IP, MURMUR_RATE_IP_BURST | 200/s, 5000 (rate 0 = off) |
 * | --seen-requests, --seen-requests-per-signer | MURMUR_SEEN_REQUESTS, ..._PER_SIGNER | 200000, 20000 nonces (e) |
 * | --headers-timeout | MURMUR_HEADERS_TIMEOUT | 20000 ms for the request line and headers |
 * | --request-timeout | MURMUR_REQUEST_TIMEOUT | 120000 ms for the whole request (at least the headers timeout) |
 * | --keep-alive-timeout | MURMUR_KEEP_ALIVE_TIMEOUT | 5000 ms an idle connection stays open |
 * | --max-connections | MURMUR_MAX_CONNECTIONS | 4096 open connections in all (more: 503 TooManyConnections) |
 * | --max-connections-per-address | MURMUR_MAX_CONNECTIONS_PER_ADDRESS | 256 open connections from one client address |
 * | --max-streams-per-address | MURMUR_MAX_STREAMS_PER_ADDRESS | 128 event streams per client address (more: 429 (c)) |
 * | --stall-timeout | MURMUR_STALL_TIMEOUT | 30000 ms an answer may stay unread before its connection is cut |
 *
 * (a) comma-separated host[:port] names that handle claims may name; (b)
 * IPv6 by /64, whatever keys sign; (c) TooManyStreams; (d) reads go on; (e) signed requests remembered
 * within the clock window, in all and per signer (PROTOCOL.md, "Signed requests"): past them, HubBusy and
 * RateLimited; (f) with both, any number of hub processes serve the same data (docs/deploy.md); (g) its first
 * blob always goes, and the client asks again for the rest: smaller means more round trips per catch-up.
 *
 * MURMUR_LOG=off silences the per-request log lines. MURMUR_CONNECTION_LOG=FILE, for measurement only (an
 * environment variable, no flag: it is no setting to run a hub with), appends to FILE one JSON line per request
 * naming its TCP connection, its target and its signer (http/connection-log.ts): what a hub could link by
 * connection, which e2e/connection-linkability.spec.ts counts.
 */
import { isAliasPattern } from '../protocol/hub-aliases.ts';
import { isIP } from 'node:net';
import { resolve } from 'node:path';
import { isHost } from '../protocol/handle-names.ts';
import { type PseudonymId, parsePseudonymId } from '../protocol/ids.ts';
import { type ConnectionLimits, DEFAULT_CONNECTION_LIMITS } from './http/connection-guard.ts';
import {
  BATCH_RESPONSE_BYTES,
  DEFAULT_LIMITS,
  DEFAULT_TIMEOUTS,
  type HubLimits,
  type HubTimeouts,
} from './hub-limits.ts';
import { DEFAULT_SEEN_LIMITS } from './store/seen-requests.ts';
import { plainAddress } from './client-address.ts';

export interface HubConfig {
  readonly host: string;
  readonly port: number;
  /**
   * This hub's own host[:port] names for handles; undefined:
   * the hub's default (server.ts), which needs the port it got.
   */
  readonly publicHosts: readonly string[] | undefined;
  /**
   * A wildcard name the operator points at this hub (`*.hub.example`), advertised in /.well-known/murmur.json so that
   * each pseudonym of a device reaches it at a name of its own (src/protocol/hub-aliases.ts); undefined: none.
   */
  readonly aliases: string | undefined;
  readonly dataDir: string;
  /** A postgres:// URL for the metadata (heads, logs, ledgers); undefined: the data folder. */
  readonly store: string | undefined;
  /** An s3:// URL for the blobs; undefined: the data folder. */
  readonly blobs: string | undefined;
  /** Load balancers whose X-Forwarded-For names the client (http/client-address.ts), in plainAddress form. */
  readonly trustedProxies: readonly string[];
  /** Peer hub origins (scheme://host[:port]) to mirror. */
  readonly peers: readonly string[];
  /** Authors to mirror; undefined: all. */
  readonly mirrorAuthors: readonly PseudonymId[] | undefined;
  /** Undefined: the caller picks its default. */
  readonly appDir: string | undefined;
  readonly name: string | undefined;
  readonly limits: HubLimits;
  readonly timeouts: HubTimeouts;
  readonly connections: ConnectionLimits;
  /** One JSON line per request on stdout unless MURMUR_LOG=off. */
  readonly log: boolean;
  /** For measurement only: the file MURMUR_CONNECTION_LOG names, for a line per request and its connection. */
  readonly connectionLog: string | undefined;
}

const FLAGS = [
  'host',
  'port',
  'public-hosts',
  'aliases',
  'data',
  'store',
  'blobs',
  'trusted-proxies',
  'peers',
  'mirror-authors',
  'app',
  'name',
  'blob-limit',
  'record-limit',
  'quota-bytes',
  'address-bytes',
  'disk-bytes',
  'batch-bytes',
  'rate-pseudonym',
  'rate-pseudonym-burst',
  'rate-ip',
  'rate-ip-burst',
  'seen-requests',
  'seen-requests-per-signer',
  'headers-timeout',
  'request-timeout',
  'keep-alive-timeout',
  'max-connections',
  'max-connections-per-address',
  'max-streams-per-address',
  'stall-timeout',
] as const;
type Flag = (typeof FLAGS)[number];

/** @throws RangeError for an unknown flag, a flag without a value, or a bad number. */
export function parseFlags(argv: readonly string[]): Partial<Record<Flag, string>> {
  const flags: Partial<Record<Flag, string>> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const m = /^--([a-z-]+)(?:=(.*))?$/s.exec(arg);
    const name = m?.[1] as Flag | undefined;
    if (!m || !name || !FLAGS.includes(name))
      throw new RangeError(`unknown argument ${arg} (flags: ${FLAGS.map((f) => `--${f}`).join(' ')})`);
    const value = m[2] ?? argv[++i];
    if (value === undefined) throw new RangeError(`--${name} needs a value`);
    flags[name] = value;
  }
  return flags;
}

function integer(text: string, what: string, min: number, max: number): number {
  const n = Number(text);
  if (!/^[0-9]+$/.test(text.trim()) || n < min || n > max)
    throw new RangeError(`${what}: expected an integer from ${min} to ${max}, got "${text}"`);
  return n;
}

function list(text: string | undefined): string[] {
  return (text ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '');
}

/** A peer as an origin; refuses anything but an http(s) origin. */
function peerOrigin(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new RangeError(`peers: "${text}" is not a URL`);
  }
  if (
    (url.protocol !== 'http:' && url.protocol !== 'https:') ||
    url.pathname.replace(/\/$/, '') !== '' ||
    url.search ||
    url.username
  ) {
    throw new RangeError(`peers: "${text}" is not an http(s) origin like https://hub.example`);
  }
  return url.origin;
}

/** A store URL of one of `schemes`, checked only for its form (the store itself reads the rest); empty: undefined. */
function storeUrl(
  text: string | undefined,
  what: string,
  schemes: readonly string[],
  example: string,
): string | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    throw new RangeError(`${what}: not a URL (expected ${example})`);
  }
  if (!schemes.includes(url.protocol)) throw new RangeError(`${what}: expected ${example}, got ${url.protocol}//…`);
  return text.trim();
}

function addressList(text: string | undefined): string[] {
  return list(text).map((a) => {
    if (isIP(a) === 0) throw new RangeError(`trusted proxies: "${a}" is not an IP address`);
    return plainAddress(a);
  });
}

/** Host names as handle claims write them (lowercase host[:port]); empty: undefined, the default. */
function hostList(text: string | undefined): string[] | undefined {
  const hosts = list(text).map((h) => h.toLowerCase());
  for (const h of hosts)
    if (!isHost(h))
      throw new RangeError(`public hosts: "${h}" is not host[:port] like hub.example or hub.example:8443`);
  return hosts.length === 0 ? undefined : [...new Set(hosts)];
}

/** A wildcard host as hub-aliases.ts reads it (`*.hub.example[:port]`, lowercase); empty: undefined. */
function aliasPattern(text: string | undefined): string | undefined {
  const pattern = text?.trim().toLowerCase();
  if (!pattern) return undefined;
  if (!isAliasPattern(pattern))
    throw new RangeError(`aliases: "${pattern}" is not *.host[:port] like *.hub.example or *.localhost:8787`);
  return pattern;
}

/** The batch answer cap: at most BATCH_RESPONSE_BYTES, which peers and clients read at most. */
function batchBytes(text: string | undefined): number {
  return text === undefined ? DEFAULT_LIMITS.batchBytes : integer(text, 'batch bytes', 1, BATCH_RESPONSE_BYTES);
}

/** @throws RangeError for a bad flag or setting (the message says which). */
export function readConfig(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): HubConfig {
  const flags = parseFlags(argv);
  const setting = (flag: Flag, name: string) => flags[flag] ?? env[`MURMUR_${name}`];
  const number = (flag: Flag, name: string, fallback: number, min: number) => {
    const text = setting(flag, name);
    return text === undefined ? fallback : integer(text, flag.replace(/-/g, ' '), min, Number.MAX_SAFE_INTEGER);
  };
  const authors = setting('mirror-authors', 'MIRROR_AUTHORS');
  const app = flags.app;
  const d = DEFAULT_LIMITS;
  const t = DEFAULT_TIMEOUTS;
  const timeouts: HubTimeouts = {
    headersMs: number('headers-timeout', 'HEADERS_TIMEOUT', t.headersMs, 1),
    requestMs: number('request-timeout', 'REQUEST_TIMEOUT', t.requestMs, 1),
    keepAliveMs: number('keep-alive-timeout', 'KEEP_ALIVE_TIMEOUT', t.keepAliveMs, 1),
  };
  // Node refuses a server whose headers may take longer than the whole request.
  if (timeouts.requestMs < timeouts.headersMs)
    throw new RangeError(
      `request timeout (${timeouts.requestMs} ms) must be at least the headers timeout (${timeouts.headersMs} ms)`,
    );
  return {
    host: setting('host', 'HOST') ?? '127.0.0.1',
    port: integer(setting('port', 'PORT') ?? '8787', 'port', 0, 65535),
    publicHosts: hostList(setting('public-hosts', 'PUBLIC_HOSTS')),
    aliases: aliasPattern(setting('aliases', 'ALIASES')),
    dataDir: resolve(setting('data', 'DATA') ?? './.data'),
    store: storeUrl(setting('store', 'STORE'), 'store', ['postgres:', 'postgresql:'], 'postgres://USER@HOST:PORT/DB'),
    blobs: storeUrl(setting('blobs', 'BLOBS'), 'blobs', ['s3:', 's3+http:'], 's3://KEY:SECRET@HOST:PORT/BUCKET'),
    trustedProxies: addressList(setting('trusted-proxies', 'TRUSTED_PROXIES')),
    peers: [...new Set(list(setting('peers', 'PEERS')).map(peerOrigin))],
    mirrorAuthors:
      authors === undefined || list(authors).length === 0
        ? undefined
        : list(authors).map((a) => {
            try {
              return parsePseudonymId(a);
            } catch {
              throw new RangeError(`mirror authors: "${a}" is not a pseudonym id`);
            }
          }),
    appDir: app === undefined ? undefined : resolve(app),
    name: setting('name', 'NAME'),
    limits: {
      blobBytes: number('blob-limit', 'BLOB_LIMIT', d.blobBytes, 1),
      recordBytes: number('record-limit', 'RECORD_LIMIT', d.recordBytes, 256),
      quotaBytes: number('quota-bytes', 'QUOTA_BYTES', d.quotaBytes, 0),
      addressBytes: number('address-bytes', 'ADDRESS_BYTES', d.addressBytes, 0),
      diskBytes: number('disk-bytes', 'DISK_BYTES', d.diskBytes, 0),
      batchBytes: batchBytes(setting('batch-bytes', 'BATCH_BYTES')),
      perPseudonym: {
        perSecond: number('rate-pseudonym', 'RATE_PSEUDONYM', d.perPseudonym.perSecond, 0),
        burst: number('rate-pseudonym-burst', 'RATE_PSEUDONYM_BURST', d.perPseudonym.burst, 1),
      },
      perIp: {
        perSecond: number('rate-ip', 'RATE_IP', d.perIp.perSecond, 0),
        burst: number('rate-ip-burst', 'RATE_IP_BURST', d.perIp.burst, 1),
      },
      seenRequests: {
        total: number('seen-requests', 'SEEN_REQUESTS', DEFAULT_SEEN_LIMITS.total, 1),
        perSigner: number('seen-requests-per-signer', 'SEEN_REQUESTS_PER_SIGNER', DEFAULT_SEEN_LIMITS.perSigner, 1),
      },
    },
    timeouts,
    connections: {
      maxConnections: number('max-connections', 'MAX_CONNECTIONS', DEFAULT_CONNECTION_LIMITS.maxConnections, 1),
      maxConnectionsPerAddress: number(
        'max-connections-per-address',
        'MAX_CONNECTIONS_PER_ADDRESS',
        DEFAULT_CONNECTION_LIMITS.maxConnectionsPerAddress,
        1,
      ),
      maxStreamsPerAddress: number(
        'max-streams-per-address',
        'MAX_STREAMS_PER_ADDRESS',
        DEFAULT_CONNECTION_LIMITS.maxStreamsPerAddress,
        1,
      ),
      stallMs: number('stall-timeout', 'STALL_TIMEOUT', DEFAULT_CONNECTION_LIMITS.stallMs, 1),
    },
    log: env.MURMUR_LOG !== 'off',
    connectionLog: env.MURMUR_CONNECTION_LOG ? resolve(env.MURMUR_CONNECTION_LOG) : undefined,
  };
}
