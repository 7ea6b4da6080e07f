/**
 * The Lighthouse bench's positive control (bench code, never the shipped
 * hub): a proxy in front of a real hub that serves the same app broken on
 * purpose in one way per category the bench has a goal for, so each of
 * those rows can be seen to say no in the same run:
 * - performance: nothing compressed (it asks the hub for identity), and a
 *   render-blocking classic script in the head that arrives after
 *   `delayMs` and then runs a `busyMs` busy loop on the main thread;
 * - best practices: that script logs an error to the console;
 * - accessibility: the page's `<html>` loses its `lang`;
 * - SEO: the page says `noindex`.
 */
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

const BLOCKING = '/__bench/blocking.js';

export interface BrokenProxy {
  readonly url: string;
  close(): Promise<void>;
}

/** The page as the control serves it: no `lang`, `noindex`, and the blocking script first in the head. */
function breakPage(html: string): string {
  const broken = html
    .replace(/<html lang="[^"]*">/, '<html>')
    .replace('<head>', `<head>\n<meta name="robots" content="noindex" />\n<script src="${BLOCKING}"></script>`);
  if (broken === html || broken.includes('<html lang=')) throw new Error('the control could not break the page');
  return broken;
}

export async function startBrokenProxy(hubUrl: string, o: { delayMs: number; busyMs: number }): Promise<BrokenProxy> {
  const hub = new URL(hubUrl);
  const script =
    `console.error('bench control: a render-blocking script');\n` +
    `for (const end = performance.now() + ${o.busyMs}; performance.now() < end; );\n`;
  const server: Server = createServer((req, res) => {
    if (req.url === BLOCKING) {
      setTimeout(() => {
        res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-store' });
        res.end(script);
      }, o.delayMs);
      return;
    }
    const headers = { ...req.headers, host: hub.host, 'accept-encoding': 'identity' };
    const upstream = request(hub, { method: req.method, path: req.url, headers }, (answer) => {
      const type = String(answer.headers['content-type'] ?? '');
      // Only a page with a body is rewritten (a HEAD or a 304 has none).
      if (!type.startsWith('text/html') || answer.statusCode !== 200 || req.method === 'HEAD') {
        res.writeHead(answer.statusCode!, answer.headers);
        answer.pipe(res);
        return;
      }
      const chunks: Buffer[] = [];
      answer.on('data', (c: Buffer) => chunks.push(c));
      answer.on('end', () => {
        const page = Buffer.from(breakPage(Buffer.concat(chunks).toString('utf8')));
        const { etag: _etag, ...rest } = answer.headers;
        res.writeHead(answer.statusCode!, { ...rest, 'content-length': page.length, 'cache-control': 'no-store' });
        res.end(page);
      });
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
