/**
 * A hub that does not check, for tests of the client's own checks: a small
 * node:http proxy in front of a real hub process, which passes everything
 * through unless told to lie. Told to, it answers an author's head (on
 * GET /v1/heads and as the opening event of /v1/stream) with any head JSON,
 * and puts any bytes under any id into blob answers (GET /v1/blobs/:id and
 * the frames of POST /v1/blobs/batch), so the app receives forgeries, bytes
 * that do not match their ids and rolled-back heads that the real hub would
 * refuse or never serve. Test code only: the shipped hub has no such mode.
 *
 * The real hub's only public host is the proxy's, so handles claimed through
 * it name the proxy, and a client that follows one talks to the proxy alone.
 */
import { type IncomingMessage, type ServerResponse, createServer, request } from 'node:http';
import type { Socket } from 'node:net';
import { decodeBlobBatch, encodeBlobBatch } from '../src/protocol/batch.ts';
import type { HeadJson } from '../src/protocol/heads.ts';
import type { ObjectId } from '../src/protocol/ids.ts';
import { type HubProcess, startHubProcess } from './hubs.ts';

export interface LyingHub {
  /** http://127.0.0.1:PORT of the proxy: the hub as clients see it. */
  readonly url: string;
  /** 127.0.0.1:PORT, the host of handles claimed here. */
  readonly host: string;
  /** Serve `head` as `author`'s head from now on (the hub's own is hidden). */
  lieHead(author: string, head: HeadJson): void;
  /** Serve `bytes` as blob `id` from now on, whatever they hash to. */
  lieBlob(id: string, bytes: Uint8Array): void;
  /** Every request that reached the proxy: method, URL, headers and body, as sent. */
  readonly requests: readonly RecordedRequest[];
  /** Tell the truth again (streams opened meanwhile stay as they were). */
  honest(): void;
  stop(): Promise<void>;
}

export interface RecordedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: Buffer;
}

const BODILESS = new Set(['GET', 'HEAD', 'OPTIONS']);

const CORS = { 'access-control-allow-origin': '*' };

function authorsOf(url: URL): string[] {
  return (url.searchParams.get('authors') ?? '').split(',').filter((a) => a !== '');
}

export async function startLyingHub(name: string): Promise<LyingHub> {
  const heads = new Map<string, HeadJson>();
  const blobs = new Map<string, Uint8Array>();
  const sockets = new Set<Socket>();
  const requests: RecordedRequest[] = [];
  let hub: HubProcess | undefined;

  const server = createServer((req, res) => {
    if (BODILESS.has(req.method ?? '')) record(req, Buffer.alloc(0)); // recorded here: some are answered here
    const url = new URL(req.url ?? '/', 'http://proxy');
    const lied = authorsOf(url).filter((a) => heads.has(a));
    if (req.method === 'GET' && url.pathname === '/v1/stream' && lied.length > 0) return fakeStream(res, lied);
    if (req.method === 'GET' && url.pathname.startsWith('/v1/blobs/')) {
      const bytes = blobs.get(url.pathname.slice('/v1/blobs/'.length));
      if (bytes) return void res.writeHead(200, { ...CORS, 'content-type': 'application/octet-stream' }).end(bytes);
    }
    forward(req, res);
  });

  function record(req: IncomingMessage, body: Buffer) {
    requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
  }

  /** The opening events of a stream of `lied` authors, then silence until the page goes. */
  function fakeStream(res: ServerResponse, lied: readonly string[]) {
    res.writeHead(200, { ...CORS, 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' });
    // No `id:`: a reconnecting client would send it as Last-Event-ID to the real hub, which would then skip heads.
    for (const a of lied) res.write(`event: head\ndata: ${JSON.stringify(heads.get(a))}\n\n`);
  }

  /**
   * Passes the request to the real hub and its answer back: streamed through as it comes, or, for heads and
   * batches while there are lies to tell, buffered and rebuilt with the lies in it.
   */
  function forward(req: IncomingMessage, res: ServerResponse) {
    const target = new URL(hub!.url);
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const sent = Buffer.concat(chunks);
      if (!BODILESS.has(req.method ?? '')) record(req, sent);
      const path = (req.url ?? '').split('?')[0];
      const upstream = request(
        { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
        (answer) => {
          if (!rewritable(path)) {
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(res);
            return;
          }
          const parts: Buffer[] = [];
          answer.on('data', (c: Buffer) => parts.push(c));
          answer.on('end', () => {
            let body: Buffer = Buffer.concat(parts);
            if (answer.statusCode === 200) {
              body =
                path === '/v1/heads'
                  ? headsWithLies(req.url ?? '', body)
                  : batchWithLies(JSON.parse(sent.toString('utf8')), body);
            }
            const headers = { ...answer.headers, 'content-length': String(body.length) };
            delete headers['transfer-encoding'];
            res.writeHead(answer.statusCode ?? 502, headers).end(body);
          });
        },
      );
      upstream.on('error', () => res.destroy());
      upstream.end(sent);
    });
  }

  /** A heads answer with each lied-about author's head replaced. */
  function headsWithLies(url: string, body: Buffer): Buffer {
    const answer = JSON.parse(body.toString('utf8')) as { heads: Record<string, HeadJson> };
    for (const a of authorsOf(new URL(url, 'http://proxy'))) {
      const head = heads.get(a);
      if (head) answer.heads[a] = head;
    }
    return Buffer.from(JSON.stringify(answer));
  }

  /** Answers worth buffering: heads and batches, while there are lies to tell. */
  function rewritable(path: string | undefined): boolean {
    return (path === '/v1/heads' && heads.size > 0) || (path === '/v1/blobs/batch' && blobs.size > 0);
  }

  /** A batch answer with each lied-about id asked for answered by the lie, in the order asked. */
  function batchWithLies(asked: { ids: string[] }, body: Buffer): Buffer {
    const real = new Map(decodeBlobBatch(new Uint8Array(body)).map((e) => [e.id as string, e.bytes]));
    const entries = asked.ids.flatMap((id) => {
      const bytes = blobs.get(id) ?? real.get(id);
      return bytes ? [{ id: id as ObjectId, bytes }] : [];
    });
    return Buffer.from(encodeBlobBatch(entries));
  }

  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  const host = `127.0.0.1:${port}`;
  hub = await startHubProcess(name, ['--public-hosts', host]);
  return {
    url: `http://${host}`,
    host,
    requests,
    lieHead: (author, head) => void heads.set(author, head),
    lieBlob: (id, bytes) => void blobs.set(id, bytes),
    honest() {
      heads.clear();
      blobs.clear();
    },
    async stop() {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => server.close(resolve));
      await hub?.stop();
    },
  };
}
