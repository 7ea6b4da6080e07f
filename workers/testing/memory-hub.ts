/**
 * An in-memory hub served through a fetch function, speaking the routes of
 * src/protocol/routes.ts (matched from ROUTES, answered with the same bodies
 * and named errors) so the one hub client talks to it as to a real hub. The
 * contract suite (src/hub-client/contract.test.ts) runs the same cases
 * against it and the real hub, so it cannot drift from the real thing.
 *
 * Its state is open (`heads`, `blobs`) for tests that must serve what a real
 * hub would refuse to store: forged heads, bytes under the wrong id. Writes
 * through the routes are checked as the real hub checks them (form,
 * signature, author, newness, the signed request of an upload or an inbox
 * read); rate limits, quotas and storage budgets are left out.
 */
import { ProtocolError, type ProtocolErrorName } from '../../src/protocol/errors.ts';
import type { HeadJson } from '../../src/protocol/heads.ts';
import type { ObjectId } from '../../src/protocol/ids.ts';
import { nobleVerify } from '../../src/protocol/keys.ts';
import { ROUTES, type RouteName, STATUS_OF } from '../../src/protocol/routes.ts';
import type { Fetch } from '../../src/hub-client/client.ts';
import { type MemoryRequest, MemoryRoutes } from './memory-hub-routes.ts';

/** Each route's path pattern as a regular expression, its `:params` captured by name. */
const PATTERNS = (Object.keys(ROUTES) as RouteName[]).map((name) => ({
  name,
  method: ROUTES[name].method,
  pattern: new RegExp(`^${ROUTES[name].path.replace(/[.]/g, '\\.').replace(/:([a-z]+)/g, '(?<$1>[^/]+)')}$`),
}));

export class MemoryHub {
  readonly heads = new Map<string, HeadJson>();
  readonly blobs = new Map<string, Uint8Array>();
  /** "METHOD path" of each request. */
  readonly requests: string[] = [];
  readonly #routes: MemoryRoutes;

  /** @param now the hub's clock (signed requests and notices are checked against it). */
  constructor(
    readonly origin = 'http://memory.test',
    now: () => number = Date.now,
  ) {
    this.#routes = new MemoryRoutes({
      heads: this.heads,
      blobs: this.blobs,
      host: new URL(origin).host,
      now,
      verify: nobleVerify,
    });
  }

  put(...entries: readonly { id: ObjectId; bytes: Uint8Array }[]): void {
    for (const e of entries) this.blobs.set(e.id, e.bytes);
  }

  readonly fetch: Fetch = async (input, init) => {
    const url = new URL(input);
    const method = init?.method ?? 'GET';
    this.requests.push(`${method} ${url.pathname}`);
    if (init?.signal?.aborted) throw new DOMException('This operation was aborted', 'AbortError');
    const found = PATTERNS.map((p) => ({ ...p, match: p.method === method && p.pattern.exec(url.pathname) })).find(
      (p) => p.match,
    );
    if (!found?.match) return failure('NotFound', `no route ${method} ${url.pathname}`);
    const params = Object.fromEntries(
      Object.entries(found.match.groups ?? {}).map(([k, v]) => [k, decodeURIComponent(v)]),
    );
    const request: MemoryRequest = {
      url,
      params,
      headers: new Headers(init?.headers),
      body:
        init?.body === undefined || init.body === null
          ? new Uint8Array()
          : new Uint8Array(await new Response(init.body).arrayBuffer()),
      ...(init?.signal && { signal: init.signal }),
    };
    try {
      return await this.#routes[found.name](request);
    } catch (error) {
      if (error instanceof ProtocolError) return failure(error.name, error.message);
      throw error;
    }
  };

  count(route: string): number {
    return this.requests.filter((r) => r === route).length;
  }
}

function failure(name: ProtocolErrorName, message: string): Response {
  return Response.json({ error: name, message }, { status: STATUS_OF[name] });
}
