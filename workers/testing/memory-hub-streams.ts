/**
 * The in-memory hub's live head streams (`GET /v1/stream`), written as the
 * real hub writes them (src/hub/http/sse.ts): `retry:` first, then the
 * opening heads, then each accepted change as `id`, `event: head`, `data`.
 */
import type { ChangeJson } from '../../src/protocol/routes.ts';

/** As the real hub asks (http/sse.ts). */
const RETRY_MS = 2000;

interface Listener {
  readonly authors: readonly string[] | 'all';
  readonly controller: ReadableStreamDefaultController<Uint8Array>;
}

export class MemoryStreams {
  readonly #listeners = new Set<Listener>();

  get size(): number {
    return this.#listeners.size;
  }

  /** A stream answer: `opening` first, then every change published for `authors`, until `signal` aborts. */
  open(authors: readonly string[] | 'all', opening: readonly ChangeJson[], signal?: AbortSignal): Response {
    let listener: Listener | undefined;
    const body = new ReadableStream<Uint8Array>({
      start: (controller) => {
        listener = { authors, controller };
        controller.enqueue(text(`retry: ${RETRY_MS}\n\n`));
        for (const change of opening) controller.enqueue(text(eventOf(change)));
        this.#listeners.add(listener);
        signal?.addEventListener(
          'abort',
          () => {
            this.#listeners.delete(listener!);
            controller.error(new DOMException('This operation was aborted', 'AbortError'));
          },
          { once: true },
        );
      },
      cancel: () => void this.#listeners.delete(listener!),
    });
    return new Response(body, {
      headers: { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' },
    });
  }

  publish(change: ChangeJson): void {
    for (const l of this.#listeners) {
      if (l.authors === 'all' || l.authors.includes(change.author)) l.controller.enqueue(text(eventOf(change)));
    }
  }
}

function eventOf(change: ChangeJson): string {
  return `id: ${change.seq}\nevent: head\ndata: ${JSON.stringify(change.head)}\n\n`;
}

function text(value: string): Uint8Array {
  return new TextEncoder().encode(value);
}
