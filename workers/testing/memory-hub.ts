/**
 * An in-memory stand-in for a hub's read routes (heads and blob batches),
 * served through a fetch function, for tests that must serve what a real hub
 * would refuse to store: forged heads, bytes under the wrong id.
 */
import { type BlobEntry, encodeBlobBatch } from '../../src/protocol/batch.ts';
import type { HeadJson } from '../../src/protocol/heads.ts';
import type { ObjectId } from '../../src/protocol/ids.ts';
import type { Fetch } from '../net/hub-client.ts';

export class MemoryHub {
  readonly heads = new Map<string, HeadJson>();
  readonly blobs = new Map<string, Uint8Array>();
  /** "METHOD path" of each request. */
  readonly requests: string[] = [];

  constructor(readonly origin = 'http://memory.test') {}

  put(...entries: readonly { id: ObjectId; bytes: Uint8Array }[]): void {
    for (const e of entries) this.blobs.set(e.id, e.bytes);
  }

  readonly fetch: Fetch = async (input, init) => {
    const url = new URL(input);
    const method = init?.method ?? 'GET';
    this.requests.push(`${method} ${url.pathname}`);
    if (method === 'GET' && url.pathname === '/v1/heads') {
      const heads: Record<string, HeadJson> = {};
      for (const a of (url.searchParams.get('authors') ?? '').split(',')) {
        const head = this.heads.get(a);
        if (head) heads[a] = head;
      }
      return Response.json({ heads });
    }
    if (method === 'POST' && url.pathname === '/v1/blobs/batch') {
      const { ids } = JSON.parse(String(init?.body)) as { ids: ObjectId[] };
      const found: BlobEntry[] = ids.filter((id) => this.blobs.has(id)).map((id) => ({ id, bytes: this.blobs.get(id)! }));
      return new Response(encodeBlobBatch(found) as Uint8Array<ArrayBuffer>, { headers: { 'content-type': 'application/octet-stream' } });
    }
    return Response.json({ error: 'NotFound', message: `no route ${url.pathname}` }, { status: 404 });
  };

  count(route: string): number {
    return this.requests.filter((r) => r === route).length;
  }
}
