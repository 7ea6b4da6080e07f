/**
 * For the hub benchmark (bench/hub.bench.ts): the baselines, a bare
 * node:http server in its own process (as the hub is in its own), doing the
 * least each scenario needs and nothing else:
 *
 * - `GET /blob`: the benchmark's blob bytes, from memory;
 * - `GET /blobs/ID`: the file `ID` of the blob folder it was given, read
 *   from disk for each request (as the hub reads each of many blobs);
 * - `PUT /sink`: reads the body, drops it, answers a small JSON;
 * - `GET /stream` + `POST /post`: an SSE fan-out that writes the posted
 *   event text to every open stream, then answers.
 *
 * (Not imported by the hub.)
 */
import { spawn } from 'node:child_process';

const SOURCE = `
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
const blob = Buffer.from(process.env.BARE_BLOB, 'base64');
const blobDir = process.env.BARE_BLOB_DIR;
const streams = new Set();
const server = createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/blob') {
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': blob.length });
    return res.end(blob);
  }
  const name = req.url.startsWith('/blobs/') ? req.url.slice(7) : '';
  if (req.method === 'GET' && blobDir && /^[A-Za-z0-9_-]+$/.test(name)) {
    readFile(join(blobDir, name)).then(
      (bytes) => {
        res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': bytes.length });
        res.end(bytes);
      },
      () => {
        res.writeHead(404);
        res.end();
      },
    );
    return;
  }
  if (req.method === 'GET' && req.url === '/stream') {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    res.write('retry: 2000\\n\\n');
    streams.add(res);
    res.on('close', () => streams.delete(res));
    return;
  }
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    if (req.url === '/post') {
      const event = Buffer.concat(chunks).toString('utf8');
      for (const s of streams) s.write(event);
    }
    const body = '{"ok":true}';
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
    res.end(body);
  });
});
server.listen(0, '127.0.0.1', () => console.log('bare listening on http://127.0.0.1:' + server.address().port));
`;

export interface BareServer {
  readonly url: string;
  readonly pid: number;
  stop(): Promise<void>;
}

/** @param blobDir a folder of blob files for `GET /blobs/ID` */
export function startBareServer(blob: Uint8Array, blobDir?: string): Promise<BareServer> {
  const child = spawn(process.execPath, ['--input-type=module', '-e', SOURCE], {
    env: {
      ...process.env,
      BARE_BLOB: Buffer.from(blob).toString('base64'),
      ...(blobDir && { BARE_BLOB_DIR: blobDir }),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk;
      const match = /bare listening on (\S+)/.exec(out);
      if (match) {
        resolve({
          url: match[1]!,
          pid: child.pid!,
          stop: async () => {
            child.kill('SIGKILL');
            await exited;
          },
        });
      }
    });
    void exited.then(() => reject(new Error(`the bare server exited: ${out}`)));
  });
}
