/**
 * Blob routes: put (a signed request; rate, size, hash, the uploader's
 * quota and the storage budgets checked before anything is stored), get
 * (immutable, so cacheable forever under its id), missing (cheap push: the
 * client uploads only what the hub lacks) and batch (catch-up in few round
 * trips).
 */
import { ProtocolError } from '../../protocol/errors.ts';
import { fromHex } from '../../protocol/bytes.ts';
import { type ObjectId, parseObjectId } from '../../protocol/ids.ts';
import { MAX_BATCH_IDS, type MissingAnswer } from '../../protocol/routes.ts';
import { writeChunks, writeWithBackpressure } from '../http/answer-stream.ts';
import { sha256HexNode } from '../../runtime/sha256-node.ts';
import type { BlobReader, BlobStore, QuotaLedger } from '../store/hub-store.ts';
import { CORS_HEADERS, readBody, readJsonBody, sendJson } from '../http/http.ts';
import { idsFromBody } from '../http/id-lists.ts';
import type { Handler } from '../http/router.ts';
import type { StorageBudget } from '../guard/storage-budget.ts';
import type { WriteGuard } from '../guard/write-guard.ts';

/** An id list body of MAX_BATCH_IDS ids (66 bytes each as JSON) with room to spare. */
const ID_LIST_BODY_BYTES = 72 * MAX_BATCH_IDS;

/**
 * Blobs opened ahead while writing a batch, so file opens overlap the writes
 * (as many as libuv's thread pool runs at once); each holds a file, not its bytes.
 */
const OPEN_AHEAD = 4;

/**
 * Ids handed to the store's prefetch at a time (BlobStore.prefetch): enough for a read to cover many
 * neighbours, few enough (at most 8 MiB of segmented blobs) that memory stays near one answer's.
 */
const PREFETCH_IDS = 128;

/**
 * The blob's write and its quota charge, made durable side by side (their
 * fsyncs overlap instead of following one another); resolves once both are.
 * A charge is kept when the write fails: a blob charged but not stored is an
 * over-charge of a write never acknowledged, and the client's retry is not
 * charged again (a charge is once per blob).
 */
async function storeCharged(stored: Promise<'created' | 'held'>, charged: Promise<void>): Promise<'created' | 'held'> {
  // Awaited below; this only keeps a failure that comes first from counting as unhandled (which ends the process).
  charged.catch(() => undefined);
  const outcome = await stored;
  await charged;
  return outcome;
}

export interface BlobRouteDeps {
  readonly blobs: BlobStore;
  readonly blobLimit: number;
  /** A batch answer stops before a frame that would take it past this (HubLimits.batchBytes). */
  readonly batchBytes: number;
  readonly guard: WriteGuard;
  readonly quota: QuotaLedger;
  readonly budget: StorageBudget;
}

export function blobRoutes({ blobs, blobLimit, batchBytes, guard, quota, budget }: BlobRouteDeps): {
  putBlob: Handler;
  getBlob: Handler;
  missingBlobs: Handler;
  batchBlobs: Handler;
} {
  return {
    async putBlob({ req, res, params }) {
      const id = parseObjectId(params.id);
      await guard.checkIp(req);
      guard.precheck(req);
      const bytes = await readBody(req, blobLimit);
      // Hashed once, natively: the hash names the blob and is what the request's signature covers.
      const actual = sha256HexNode(bytes);
      const author = await guard.authenticate(req, bytes, actual);
      await guard.checkPseudonym(author);
      if (actual !== id) throw new ProtocolError('HashMismatch', `the bytes hash to ${actual}, not ${id}`);
      const held = await blobs.has(id);
      // Held and paid for: nothing to store or charge (the common case of a retried push).
      if (held && (await quota.isCharged(id))) return sendJson(res, 200, { id });
      const release = await quota.reserve(author, bytes.length);
      try {
        // A blob already held (mirrored, say) takes no more disk: only its pseudonym quota is charged.
        const outcome = held
          ? 'held'
          : await budget.store(
              req,
              bytes.length,
              () => storeCharged(blobs.put(id, bytes), quota.charge(author, id, bytes.length)),
              (o) => o === 'created',
            );
        if (held) await quota.charge(author, id, bytes.length);
        sendJson(res, outcome === 'created' ? 201 : 200, { id });
      } finally {
        await release();
      }
    },

    async getBlob({ req, res, params }) {
      const id = parseObjectId(params.id);
      const etag = `"${id}"`;
      const headers = { ...CORS_HEADERS, etag, 'cache-control': 'public, max-age=31536000, immutable' };
      // An id names its bytes forever, so a client holding this ETag holds these bytes.
      if (ifNoneMatch(req.headers['if-none-match'], etag) && (await blobs.has(id))) {
        res.writeHead(304, headers);
        res.end();
        return;
      }
      const reader = await blobs.openRead(id);
      if (!reader) throw new ProtocolError('NotFound', `blob ${id} is not held here`);
      try {
        res.writeHead(200, { ...headers, 'content-type': 'application/octet-stream', 'content-length': reader.size });
        if (req.method === 'HEAD') return void res.end();
        // Streamed with backpressure: a reader that stalls holds one chunk here, not the blob.
        if (await writeChunks(res, reader.chunks)) res.end();
      } finally {
        await reader.close();
      }
    },

    async missingBlobs({ req, res }) {
      const ids = idsFromBody(await readJsonBody(req, ID_LIST_BODY_BYTES));
      const held = await Promise.all(ids.map((id) => blobs.has(id)));
      const answer: MissingAnswer = { missing: ids.filter((_, i) => !held[i]) };
      sendJson(res, 200, answer);
    },

    async batchBlobs({ req, res }) {
      const ids = idsFromBody(await readJsonBody(req, ID_LIST_BODY_BYTES));
      // The frames (protocol/batch.ts) are written one blob at a time with backpressure, never built whole:
      // a client that stops reading holds a chunk of memory here,
      // not 8 MiB. Chunked, as the length is known only at the end.
      res.writeHead(200, { ...CORS_HEADERS, 'content-type': 'application/octet-stream', 'cache-control': 'no-store' });
      const opened = new Map<number, Promise<BlobReader | undefined>>();
      const open = (i: number) => {
        for (let j = i; j < Math.min(ids.length, i + OPEN_AHEAD); j++) {
          if (opened.has(j)) continue;
          const reader = blobs.openRead(ids[j]!);
          // Awaited later, in turn: marked handled now so a failure before then is not an unhandled rejection.
          reader.catch(() => {});
          opened.set(j, reader);
        }
        const reader = opened.get(i)!;
        opened.delete(i);
        return reader;
      };
      let prefetched = 0;
      const prefetchAhead = async (i: number) => {
        if (!blobs.prefetch || i + OPEN_AHEAD <= prefetched || prefetched >= ids.length) return;
        const from = prefetched;
        prefetched = Math.min(ids.length, from + PREFETCH_IDS);
        // A hint: a read that fails here fails again, and is answered, when openRead reads the blob itself.
        await blobs.prefetch(ids.slice(from, prefetched)).catch(() => undefined);
      };
      let size = 0;
      let sent = 0;
      try {
        for (let i = 0; i < ids.length; i++) {
          await prefetchAhead(i);
          const reader = await open(i);
          if (!reader) continue;
          try {
            // Always send at least one blob, or a client asking for one big blob would never get it.
            if (sent > 0 && size + 36 + reader.size > batchBytes) break;
            if (
              !(await writeWithBackpressure(res, frameHeader(ids[i]!, reader.size))) ||
              !(await writeChunks(res, reader.chunks))
            )
              return;
            sent++;
            size += 36 + reader.size;
          } finally {
            await reader.close();
          }
        }
        res.end();
      } finally {
        for (const reader of opened.values())
          void reader.then(
            (r) => r?.close(),
            () => {},
          );
      }
    },
  };
}

/** A blob batch frame's header (protocol/batch.ts): the id's 32 bytes, then the length as 4 bytes big-endian. */
function frameHeader(id: ObjectId, length: number): Uint8Array {
  const header = new Uint8Array(36);
  header.set(fromHex(id));
  new DataView(header.buffer).setUint32(32, length);
  return header;
}

/** True when an If-None-Match header names `etag` (or `*`); weak validators compare equal here. */
function ifNoneMatch(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(',').some((tag) => {
    const t = tag.trim().replace(/^W\//, '');
    return t === etag || t === '*';
  });
}
