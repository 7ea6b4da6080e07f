/**
 * The hub: opens the store it is given (a HubStore: store/hub-store.ts), wires the routes of the protocol's
 * route table to their handlers, serves the built app beside the API, and
 * mirrors its peers. Each route in ROUTES has exactly one handler here (the
 * types insist), and so has each page of PAGE_ROUTES (a mist's embed page).
 */
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { PseudonymId } from '../protocol/ids.ts';
import {
  type HubInfo,
  type HubStatus,
  MAX_BATCH_IDS,
  MAX_IDS_PER_REQUEST,
  ROUTES,
  type RouteName,
} from '../protocol/routes.ts';
import { answerClientErrors } from './http/client-errors.ts';
import { type ConnectionLimits, ConnectionGuard, DEFAULT_CONNECTION_LIMITS } from './http/connection-guard.ts';
import { DEFAULT_TIMEOUTS, type HubLimits, type HubTimeouts, withDefaults } from './hub-limits.ts';
import { MeteredBlobStore } from './store/disk-meter.ts';
import type { HubStore, OpenHubStore } from './store/hub-store.ts';
import { PREFLIGHT_HEADERS, sendError, sendFailure, sendJson } from './http/http.ts';
import { DEFAULT_MIRROR_TIMING, type MirrorTiming } from './mirror/peer.ts';
import { type Mirrors, startMirrors } from './mirror/mirrors.ts';
import { type Handler, type Match, createRouter } from './http/router.ts';
import { blobRoutes } from './routes/blobs.ts';
import { handleRoutes } from './routes/handles.ts';
import { headRoutes } from './routes/heads.ts';
import { directoryRoutes } from './routes/directory.ts';
import { inboxPolicyRoutes } from './routes/inbox-policy.ts';
import { inboxRoutes } from './routes/inbox.ts';
import { retirementRoutes } from './routes/retirements.ts';
import { embedRoutes } from './routes/embed.ts';
import { PAGE_ROUTES, type PageRouteName } from '../protocol/page-routes.ts';
import { StreamHub } from './http/sse.ts';
import { logConnections } from './http/connection-log.ts';
import { type AddressOf, clientAddress, plainAddress, socketAddress } from './client-address.ts';
import { StorageBudget } from './guard/storage-budget.ts';
import { createStaticHandler } from './http/static.ts';
import { WriteGuard } from './guard/write-guard.ts';
import { nodeCryptoVerify } from './guard/node-verify.ts';

export const HUB_VERSION = '0.2.0';

/** How long close() lets requests under way finish before cutting their connections. */
const CLOSE_GRACE_MS = 1000;

export interface HubOptions {
  /** Interface to listen on; default 127.0.0.1. */
  host?: string;
  /** 0 = any free port; default 0. */
  port?: number;
  /** Opens the hub's storage, e.g. fileHubStore(dataDir) (store/files/file-hub-store.ts); close() closes it. */
  store: OpenHubStore;
  /** The built PWA folder to serve (e.g. dist/app); without it `/` says the app is not built. */
  appDir?: string;
  /** The name in /.well-known/murmur.json. */
  name?: string;
  /** Sizes, quota and rates; each unset one has its default (hub-limits.ts). */
  limits?: Partial<HubLimits>;
  /** How long clients may take; each unset one has its default (hub-limits.ts). */
  timeouts?: Partial<HubTimeouts>;
  /**
   * Connections and streams per address and in all, and the stall
   * timeout; each unset one has its default (connection-guard.ts).
   */
  connections?: Partial<ConnectionLimits>;
  /**
   * The host[:port] names handle claims and WebFinger may name (config.ts
   * --public-hosts); default: the listening host and port, localhost:PORT and 127.0.0.1:PORT.
   */
  publicHosts?: readonly string[];
  /**
   * A wildcard name pointed at this hub (`*.hub.example[:port]`, config.ts --aliases): advertised in
   * /.well-known/murmur.json, and requests signed for any name under it are taken as signed for this hub
   * (protocol/hub-aliases.ts). Without publicHosts, a pattern with no port takes the hub's, as the default
   * public hosts do.
   */
  aliases?: string;
  /** Peer hub origins to mirror. */
  peers?: readonly string[];
  /**
   * Load balancers in front of the hub (config.ts --trusted-proxies): their X-Forwarded-For names the client
   * each guard counts (http/client-address.ts); default none, each client is its socket's peer.
   */
  trustedProxies?: readonly string[];
  /** Only these authors are mirrored; default all. */
  mirrorAuthors?: readonly PseudonymId[];
  mirrorTiming?: Partial<MirrorTiming>;
  /** Called with one JSON line per answered request, and per mirroring event (off when absent). */
  log?: (line: string) => void;
  /**
   * For measurement only: called with one JSON line per request naming its TCP connection
   * (http/connection-log.ts); off when absent, as it should be on any hub people use.
   */
  connectionLog?: (line: string) => void;
}

export interface RunningHub {
  /** http://HOST:PORT with the real port. */
  readonly url: string;
  readonly port: number;
  /** Stops mirroring, ends open streams and connections, stops listening, closes the stores. */
  close(): Promise<void>;
}

/** Starts a hub; resolves once it is listening. @throws when the store cannot be opened or the port is taken. */
export async function startHub(options: HubOptions): Promise<RunningHub> {
  const host = options.host ?? '127.0.0.1';
  const limits = withDefaults(options.limits);
  const now = Date.now;
  const started = now();
  const stores = await options.store(limits);
  const verify = nodeCryptoVerify();
  const { blobs, heads, handles, inbox, quota } = stores;
  const trusted = new Set((options.trustedProxies ?? []).map(plainAddress));
  const addressOf: AddressOf = trusted.size === 0 ? socketAddress : (req) => clientAddress(req, trusted);
  const budget = new StorageBudget(stores.addresses, stores.disk, addressOf);
  const connectionLimits = { ...DEFAULT_CONNECTION_LIMITS, ...options.connections };
  const streams = new StreamHub(heads, undefined, connectionLimits.maxStreamsPerAddress, addressOf);
  let mirrors: Mirrors | undefined;
  const name = options.name ?? 'Murmur hub';
  const info: HubInfo = {
    name,
    version: HUB_VERSION,
    limits: { blobBytes: limits.blobBytes, batchIds: MAX_BATCH_IDS, streamAuthors: MAX_IDS_PER_REQUEST },
  };

  const recordLimit = limits.recordBytes;
  // Filled once listening: the default names the port, which may be chosen then (port 0). No request comes before.
  const publicHosts = new Set<string>();
  const ownNames = { hosts: publicHosts, aliases: undefined as string | undefined };
  const guard = new WriteGuard(limits, stores, verify, now, ownNames, addressOf);
  const handlers: Record<RouteName, Handler> = {
    ...blobRoutes({ blobs, blobLimit: limits.blobBytes, batchBytes: limits.batchBytes, guard, quota, budget }),
    ...headRoutes({ heads, verify, now, guard, recordLimit, budget }),
    ...handleRoutes({ handles, verify, guard, recordLimit, publicHosts, budget }),
    ...inboxRoutes({ inbox, verify, now, guard, recordLimit, budget }),
    ...inboxPolicyRoutes({ inbox, verify, now, guard, budget }),
    ...retirementRoutes({ handles, verify, now, guard, recordLimit }),
    ...directoryRoutes({ directory: stores.directory, verify, now, guard, budget }),
    stream: streams.handler,
    hubInfo: async ({ res }) =>
      sendJson(res, 200, { ...info, ...(ownNames.aliases && { aliases: ownNames.aliases }) } satisfies HubInfo, {
        'cache-control': 'no-cache',
      }),
    hubStatus: async ({ res }) => {
      const status: HubStatus = {
        name,
        version: HUB_VERSION,
        changes: await heads.lastSeq(),
        streams: streams.size,
        connections: connections.counts,
        uptimeSeconds: Math.round((now() - started) / 1000),
        peers: mirrors?.status() ?? [],
        store: await stores.health(),
      };
      sendJson(res, 200, status);
    },
  };
  const route = createRouter(
    (Object.keys(ROUTES) as RouteName[]).map((n) => ({
      method: ROUTES[n].method,
      path: ROUTES[n].path,
      handler: handlers[n],
    })),
  );
  // The pages a hub serves beside the app (a mist's embed and raw page): matched before the app's files.
  const pageHandlers = embedRoutes({ appDir: options.appDir });
  const pages = createRouter(
    (Object.keys(PAGE_ROUTES) as PageRouteName[]).map((n) => ({
      method: PAGE_ROUTES[n].method,
      path: PAGE_ROUTES[n].path,
      handler: pageHandlers[n],
    })),
  );
  const serveStatic = createStaticHandler(options.appDir);

  const inflight = new Inflight();
  const timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
  const server = createServer(
    {
      // 512 authors in ?authors= make a 33 KB request line; Node's default header limit (16 KiB) would refuse it.
      maxHeaderSize: 64 * 1024,
      headersTimeout: timeouts.headersMs,
      requestTimeout: timeouts.requestMs,
      keepAliveTimeout: timeouts.keepAliveMs,
      // Node checks the two timeouts above only this often (default 30 s, which would make 20 s up to 50).
      connectionsCheckingInterval: Math.min(1000, timeouts.headersMs),
      // Node would refuse a request without Host with an empty 400; handle() refuses it by name instead.
      requireHostHeader: false,
    },
    (req, res) => {
      const begun = performance.now();
      inflight.track(res);
      // Every answer (blobs above all: any bytes, served as octet-stream) is taken as the type it declares.
      res.setHeader('x-content-type-options', 'nosniff');
      if (!connections.admit(req, res)) return;
      if (options.log) {
        const log = options.log;
        res.on('close', () => {
          const path = (req.url ?? '').split('?')[0];
          log(
            JSON.stringify({
              t: new Date().toISOString(),
              method: req.method,
              path,
              status: res.statusCode,
              ms: Math.round(performance.now() - begun),
            }),
          );
        });
      }
      handle(req, res).catch((error: unknown) => sendFailure(req, res, error));
    },
  );
  answerClientErrors(server);
  if (options.connectionLog) logConnections(server, options.connectionLog);
  const connections = new ConnectionGuard(server, connectionLimits, trusted);

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.headers.host === undefined && req.httpVersion === '1.1') {
      return sendError(res, 'BadRequest', 'an HTTP/1.1 request needs a Host header', { connection: 'close' });
    }
    // Concatenated, not resolved: a target like //x is a path here, not a host.
    const url = new URL(`http://hub.invalid${req.url?.startsWith('/') ? req.url : '/'}`);
    const api = /^\/(?:v1|\.well-known)(?:\/|$)/.test(url.pathname);
    if (!api && !url.pathname.startsWith('/m/')) return serveStatic(req, res, url);
    if (api && req.method === 'OPTIONS') {
      res.writeHead(204, PREFLIGHT_HEADERS);
      return void res.end();
    }
    let match: Match;
    try {
      match = (api ? route : pages)(req.method ?? 'GET', url.pathname);
    } catch {
      return sendError(res, 'BadRequest', 'the path is not valid percent-encoding');
    }
    // A path under /m/ that names no page is the app's, like any other page URL.
    if (!api && match.kind === 'none') return serveStatic(req, res, url);
    if (match.kind === 'none') return sendError(res, 'NotFound', `no route ${url.pathname}`);
    if (match.kind === 'wrong-method') {
      return sendError(res, 'MethodNotAllowed', `${req.method} is not allowed here`, {
        allow: match.allowed.join(', '),
      });
    }
    await match.handler({ req, res, url, params: match.params });
  }

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    mirrors = await startMirrors(options.peers ?? [], stores.mirror, {
      // Mirrored blobs take disk too; they are charged to no address (no client sent them).
      blobs: new MeteredBlobStore(blobs, stores.disk),
      heads,
      directory: stores.directory,
      inbox,
      verify,
      now,
      authors: options.mirrorAuthors,
      blobLimit: limits.blobBytes,
      timing: { ...DEFAULT_MIRROR_TIMING, ...options.mirrorTiming },
      ...(options.log && { log: options.log }),
    });
  } catch (error) {
    // The port was taken (or the host wrong): let go of what was opened before saying so.
    await closeAll(server, inflight, streams, stores, mirrors);
    throw error;
  }
  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  for (const h of options.publicHosts ?? [`${urlHost}:${port}`, `localhost:${port}`, `127.0.0.1:${port}`])
    publicHosts.add(h.toLowerCase());
  const portless = options.aliases !== undefined && !options.publicHosts && !/:\d+$/.test(options.aliases);
  ownNames.aliases = portless ? `${options.aliases}:${port}` : options.aliases;

  let closing: Promise<void> | undefined;
  return {
    url: `http://${urlHost}:${port}`,
    port,
    close: () => (closing ??= closeAll(server, inflight, streams, stores, mirrors)),
  };
}

async function closeAll(
  server: Server,
  inflight: Inflight,
  streams: StreamHub,
  stores: HubStore,
  mirrors: Mirrors | undefined,
): Promise<void> {
  // Mirroring writes to the stores: it stops first, each head it was storing finished or not begun.
  await mirrors?.stop();
  const stopped = new Promise<void>((resolve) => (server.listening ? server.close(() => resolve()) : resolve()));
  streams.close();
  // Requests under way get a moment to finish (their writes are acknowledged), then every socket goes,
  // idle keep-alive ones included (they would otherwise hold close() open until they time out).
  await inflight.drained(CLOSE_GRACE_MS);
  server.closeAllConnections();
  await stopped;
  await stores.close();
}

/** Answers not yet finished, so closing can wait for them. */
class Inflight {
  #count = 0;
  #onDrained: (() => void) | undefined;

  track(res: ServerResponse): void {
    this.#count++;
    res.once('close', () => {
      if (--this.#count === 0) this.#onDrained?.();
    });
  }

  /** Resolves when no answer is under way, or after `ms`. */
  drained(ms: number): Promise<void> {
    if (this.#count === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      this.#onDrained = done;
      function done() {
        clearTimeout(timer);
        resolve();
      }
    });
  }
}
