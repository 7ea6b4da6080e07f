/**
 * Path matching for the API routes. Patterns are the route table's
 * (`/v1/blobs/:id`: a `:name` segment matches one path segment). A path that
 * matches with another method reports the methods it allows, for 405 answers.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface RequestContext {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly url: URL;
  /** Path parameters, percent-decoded. */
  readonly params: Readonly<Record<string, string>>;
}

export type Handler = (ctx: RequestContext) => Promise<void>;

export interface RouteDef {
  readonly method: string;
  readonly path: string;
  readonly handler: Handler;
}

export type Match =
  | { readonly kind: 'found'; readonly handler: Handler; readonly params: Record<string, string> }
  | { readonly kind: 'wrong-method'; readonly allowed: readonly string[] }
  | { readonly kind: 'none' };

/**
 * The first pattern that matches the path decides, literal segments before
 * parameters: GET /v1/blobs/missing is a wrong method on "missing", not a
 * malformed blob id.
 * @throws URIError (from decodeURIComponent) when a parameter is not valid percent-encoding.
 */
export function createRouter(routes: readonly RouteDef[]): (method: string, pathname: string) => Match {
  const byPath = new Map<string, RouteDef[]>();
  for (const route of routes) byPath.set(route.path, [...(byPath.get(route.path) ?? []), route]);
  const paramCount = (path: string) => path.split('/').filter((s) => s.startsWith(':')).length;
  const patterns = [...byPath.keys()]
    .sort((a, b) => paramCount(a) - paramCount(b))
    .map((path) => ({ segments: path.split('/'), defs: byPath.get(path)! }));
  return (method, pathname) => {
    const parts = pathname.split('/');
    for (const { segments, defs } of patterns) {
      const params = matchSegments(segments, parts);
      if (!params) continue;
      // HEAD is GET without a body (node:http drops the body of a HEAD answer itself).
      const def = defs.find((d) => d.method === method || (d.method === 'GET' && method === 'HEAD'));
      return def
        ? { kind: 'found', handler: def.handler, params }
        : { kind: 'wrong-method', allowed: defs.map((d) => d.method) };
    }
    return { kind: 'none' };
  };
}

function matchSegments(pattern: readonly string[], parts: readonly string[]): Record<string, string> | undefined {
  if (pattern.length !== parts.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i]!;
    const part = parts[i]!;
    if (p.startsWith(':')) {
      if (part === '') return undefined;
      params[p.slice(1)] = decodeURIComponent(part);
    } else if (p !== part) return undefined;
  }
  return params;
}
