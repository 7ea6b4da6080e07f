/**
 * For the hub benchmark (bench/hub.bench.ts): a lean node:http load
 * generator (keep-alive agent, a fixed number of concurrent loops, bounded
 * in count and in time) and Server-Sent Events subscribers that note when
 * each receives an event. Loopback only. (Not imported by the hub.)
 */
import { Agent, type IncomingMessage, request } from 'node:http';

export function keepAliveAgent(sockets: number): Agent {
  return new Agent({ keepAlive: true, maxSockets: sockets, maxFreeSockets: sockets });
}

/** One request, its answer read (and dropped) to the end. @returns the status. */
export function send(
  agent: Agent,
  url: URL,
  method: string,
  headers: Record<string, string> = {},
  body?: Uint8Array,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        agent,
        host: url.hostname,
        port: url.port,
        path: url.pathname + url.search,
        method,
        headers: body ? { ...headers, 'content-length': body.length } : headers,
      },
      (res) => {
        res.on('data', () => {});
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

export interface LoadResult {
  readonly requests: number;
  readonly seconds: number;
  readonly perSecond: number;
}

/**
 * Runs `loops` concurrent loops, each sending one request after another,
 * until `durationMs` pass or `maxRequests` were sent in all.
 * @param one sends request number `i` (0-based over all loops); a status other than `expect` fails the run.
 */
export async function runLoad(options: {
  loops: number;
  durationMs: number;
  maxRequests: number;
  expect: readonly number[];
  one: (i: number) => Promise<number>;
}): Promise<LoadResult> {
  const { loops, durationMs, maxRequests, one } = options;
  const started = performance.now();
  const deadline = started + durationMs;
  let next = 0;
  await Promise.all(
    Array.from({ length: loops }, async () => {
      while (next < maxRequests && performance.now() < deadline) {
        const status = await one(next++);
        if (!options.expect.includes(status)) throw new Error(`a benchmark request was answered ${status}`);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return { requests: next, seconds, perSecond: next / seconds };
}

/** Open event streams, each noting when the text `marker` first arrives on it. */
export class Subscribers {
  readonly #responses: IncomingMessage[];
  readonly #texts: string[];
  readonly #got: boolean[];
  #marker = '';
  #pending = 0;
  #times: number[] = [];
  #done: (() => void) | undefined;

  private constructor(responses: IncomingMessage[]) {
    this.#responses = responses;
    this.#texts = responses.map(() => '');
    this.#got = responses.map(() => false);
    responses.forEach((res, i) => {
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => this.#heard(i, chunk));
    });
  }

  /**
   * Opens `count` streams of `url` (each its own connection),
   * `parallel` at a time; resolves once each has its first bytes.
   */
  static async open(url: URL, count: number, parallel = 200): Promise<Subscribers> {
    const responses: IncomingMessage[] = [];
    for (let i = 0; i < count; i += parallel) {
      const batch = Array.from(
        { length: Math.min(parallel, count - i) },
        () =>
          new Promise<IncomingMessage>((resolve, reject) => {
            const req = request(
              {
                agent: false,
                host: url.hostname,
                port: url.port,
                path: url.pathname + url.search,
                headers: { accept: 'text/event-stream' },
              },
              (res) => {
                if (res.statusCode !== 200) reject(new Error(`a stream was answered ${res.statusCode}`));
                res.once('data', () => resolve(res));
              },
            );
            req.on('error', reject);
            req.end();
          }),
      );
      responses.push(...(await Promise.all(batch)));
    }
    return new Subscribers(responses);
  }

  get size(): number {
    return this.#responses.length;
  }

  /**
   * Arms the streams for `marker`; the promise resolves with each
   * stream's arrival time (performance.now) once all have it.
   */
  expect(marker: string): Promise<number[]> {
    this.#marker = marker;
    this.#pending = this.#responses.length;
    this.#times = [];
    this.#texts.fill('');
    this.#got.fill(false);
    return new Promise((resolve) => {
      this.#done = () => resolve(this.#times);
    });
  }

  close(): void {
    for (const res of this.#responses) res.destroy();
  }

  #heard(i: number, chunk: string): void {
    if (!this.#marker || this.#got[i]) return;
    const text = this.#texts[i] + chunk;
    if (!text.includes(this.#marker)) {
      // Keep only a tail long enough to hold a marker split across chunks.
      this.#texts[i] = text.slice(-this.#marker.length);
      return;
    }
    this.#got[i] = true;
    this.#times.push(performance.now());
    if (--this.#pending === 0) {
      this.#marker = '';
      this.#done?.();
    }
  }
}
