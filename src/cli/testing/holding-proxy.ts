/**
 * For tests: an HTTP proxy on 127.0.0.1 in front of one hub that passes every request through (Host header
 * and all, so the hub is started with MURMUR_PUBLIC_HOSTS naming the proxy), until told to hold: then the
 * first request `hold()` matches, and every later one, is kept unanswered, and the test hears of it. A client
 * killed there has done everything before that request and nothing after (the devlog's crash between its
 * commit and its send). release() passes requests through again. (Not imported by the command line itself.)
 */
import { type IncomingMessage, type ServerResponse, createServer, request } from 'node:http';

export interface HoldingProxy {
  /** http://127.0.0.1:PORT */
  readonly url: string;
  /** 127.0.0.1:PORT, for the hub's MURMUR_PUBLIC_HOSTS. */
  readonly host: string;
  /** Sends what it receives to `origin` (the hub) from now on. */
  forwardTo(origin: string): void;
  /** Resolves with `METHOD path` of the first request `match` accepts, held from then on with every later one. */
  hold(match: (method: string, path: string) => boolean): Promise<string>;
  /** Drops the held requests' connections and passes requests through again. */
  release(): void;
  close(): Promise<void>;
}

export async function startHoldingProxy(): Promise<HoldingProxy> {
  let target: URL | undefined;
  let holding: { match: (method: string, path: string) => boolean; found: (what: string) => void } | undefined;
  let held: { found: string; responses: ServerResponse[] } | undefined;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const what = `${req.method} ${req.url}`;
    if (held) return void held.responses.push(res);
    if (holding?.match(req.method ?? '', req.url ?? '')) {
      held = { found: what, responses: [res] };
      holding.found(what);
      return;
    }
    if (!target) return void res.writeHead(502).end();
    const upstream = request(
      { host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.once('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    host: `127.0.0.1:${port}`,
    forwardTo: (origin) => {
      target = new URL(origin);
    },
    hold: (match) =>
      new Promise((found) => {
        holding = { match, found };
      }),
    release: () => {
      for (const res of held?.responses ?? []) res.destroy();
      held = undefined;
      holding = undefined;
    },
    close: () =>
      new Promise((resolve) => {
        for (const res of held?.responses ?? []) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
