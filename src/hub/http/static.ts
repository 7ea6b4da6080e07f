/**
 * Serves the built PWA so one hub process is a complete local instance.
 * Hashed files under /assets/ are cached forever; the shell (index.html, the
 * service worker, the manifest) must be revalidated every time or an update
 * would never reach installed apps. A page URL with no file behind it gets
 * index.html, so the app's own routes survive a reload.
 *
 * Text files go out compressed when the request allows it: the build writes
 * a brotli and a gzip copy beside each (scripts/precompress.ts), and the
 * handler sends the best copy Accept-Encoding allows (content-coding.ts),
 * else the file itself; nothing is compressed per request. Every answer for
 * such a file says `Vary: Accept-Encoding`, and each coding has its own ETag,
 * so a cache never hands brotli to a client that asked for none. The mist
 * pages (routes/embed.ts) send the app's embed page the same way
 * (sendAppFile), under a policy of their own.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';
import { acceptableCodings, COMPRESSIBLE, type ContentCoding } from './content-coding.ts';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
};

const IMMUTABLE = 'public, max-age=31536000, immutable';

/**
 * The app's Content-Security-Policy: a second wall behind rendering user
 * content as inert text. Scripts, styles and workers come only from this
 * origin (no inline script or style, no eval), so markup that slipped into
 * the DOM could neither run nor load code; images only from here or the
 * blob:/data: URLs the app makes for media; no plugins, no <base>, no framing,
 * no form posts elsewhere. connect-src stays open to http(s): the app talks to
 * any hub its person names, and everything it fetches is verified anyway.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' blob: data:",
  "font-src 'self'",
  "connect-src 'self' https: http:",
  "worker-src 'self'",
  "manifest-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * The policy of a mist's embed and raw page (routes/embed.ts): the app's walls for scripts and styles, and
 * tighter where the page needs less (it reads this hub only, starts no worker, posts no form), but framing
 * allowed from anywhere: being framed by other sites is what the page is for. It holds no keys and no cookies,
 * so a framing site can make it do nothing but show a public mist.
 */
export const EMBED_CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' blob: data:",
  "font-src 'self'",
  "connect-src 'self'",
  "worker-src 'none'",
  "manifest-src 'none'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  'frame-ancestors *',
].join('; ');

function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** The file under `root` a URL path names, or undefined for a path that escapes it. */
function fileFor(root: string, pathname: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0')) return undefined;
  const file = resolve(root, `.${decoded}`);
  return file === root || file.startsWith(root + sep) ? file : undefined;
}

export interface FoundFile {
  readonly path: string;
  readonly size: number;
  readonly mtimeMs: number;
}

async function findFile(path: string | undefined): Promise<FoundFile | undefined> {
  if (!path) return undefined;
  try {
    const info = await stat(path);
    return info.isFile() ? { path, size: info.size, mtimeMs: info.mtimeMs } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The copy of `file` to send: the first precompressed copy the client accepts that exists and is no older than
 * the file (an original edited after the build makes its copies stale; they are then passed over), else the
 * file itself.
 */
async function bestCopy(
  file: FoundFile,
  acceptEncoding: string | undefined,
): Promise<{ body: FoundFile; coding: ContentCoding | undefined }> {
  for (const { coding, suffix } of acceptableCodings(acceptEncoding)) {
    const copy = await findFile(file.path + suffix);
    if (copy && copy.mtimeMs >= file.mtimeMs) return { body: copy, coding };
  }
  return { body: file, coding: undefined };
}

/** Whether If-None-Match (one tag, a list, or `*`) names `etag`. */
function matches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.split(',').some((tag) => tag.trim() === etag || tag.trim() === '*');
}

/** The file `name` (a path under the app folder, e.g. embed.html) of the app built in `appDir`, if there is one. */
export async function findAppFile(appDir: string | undefined, name: string): Promise<FoundFile | undefined> {
  return appDir === undefined ? undefined : findFile(fileFor(resolve(appDir), `/${name}`));
}

/**
 * Sends a file of the app (GET or HEAD): its best precompressed copy, an ETag per coding, 304 when the client
 * has it. `headers` add to, or replace, the security headers every page gets (the embed page's policy).
 */
export async function sendAppFile(
  req: IncomingMessage,
  res: ServerResponse,
  file: FoundFile,
  options: { readonly cache: string; readonly headers?: Readonly<Record<string, string>> },
): Promise<void> {
  const type = extname(file.path).toLowerCase();
  const compressible = COMPRESSIBLE.has(type);
  const { body, coding } = compressible
    ? await bestCopy(file, req.headers['accept-encoding'])
    : { body: file, coding: undefined };
  const etag = `W/"${body.size.toString(16)}-${Math.floor(body.mtimeMs).toString(16)}${coding ? `-${coding}` : ''}"`;
  const headers: Record<string, string | number> = {
    'content-type': CONTENT_TYPES[type] ?? 'application/octet-stream',
    'cache-control': options.cache,
    etag,
    'x-content-type-options': 'nosniff',
    'content-security-policy': CONTENT_SECURITY_POLICY,
    'referrer-policy': 'no-referrer',
    ...options.headers,
  };
  if (compressible) headers.vary = 'Accept-Encoding';
  if (matches(req.headers['if-none-match'], etag)) {
    res.writeHead(304, headers);
    return void res.end();
  }
  if (coding) headers['content-encoding'] = coding;
  res.writeHead(200, { ...headers, 'content-length': body.size });
  if (req.method === 'HEAD') return void res.end();
  createReadStream(body.path)
    .on('error', () => res.destroy())
    .pipe(res);
}

/** Serves GET and HEAD for the app; `appDir` undefined or absent means the app was not built. */
export function createStaticHandler(
  appDir: string | undefined,
): (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void> {
  const root = appDir === undefined ? undefined : resolve(appDir);
  return async (req, res, url) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('allow', 'GET, HEAD');
      return sendText(res, 405, 'method not allowed');
    }
    const index = root === undefined ? undefined : await findFile(join(root, 'index.html'));
    if (!index) {
      return url.pathname === '/'
        ? sendText(
            res,
            200,
            'This Murmur hub is running, but the app is not built (run npm run build). The API is under /v1.',
          )
        : sendText(res, 404, 'not found');
    }
    const wantsPage = (req.headers.accept ?? '').includes('text/html');
    const file =
      url.pathname === '/'
        ? index
        : ((await findFile(fileFor(root!, url.pathname))) ?? (wantsPage ? index : undefined));
    if (!file) return sendText(res, 404, 'not found');
    const hashed = url.pathname.startsWith('/assets/') && file !== index;
    await sendAppFile(req, res, file, { cache: hashed ? IMMUTABLE : 'no-cache' });
  };
}
