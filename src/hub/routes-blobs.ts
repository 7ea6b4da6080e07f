/**
 * Blob routes: put (a signed request; rate, size, hash, the uploader's
 * quota and the storage budgets checked before anything is stored), get
 * (immutable, so cacheable forever under its id), missing (cheap push: the
 * client uploads only what the hub lacks) and batch (catch-up in few round
 * trips).
 */
import { ProtocolError } from '../protocol/errors.ts';
import { encodeBlobBatch, type BlobEntry } from '../protocol/batch.ts';
import { parseObjectId } from '../protocol/ids.ts';
import { MAX_BATCH_IDS, type MissingAnswer } from '../protocol/routes.ts';
import { type BlobStore, hashBlob } from './blob-store.ts';
import { CORS_HEADERS, readBody, readJsonBody, sendJson } from './http.ts';
import { idsFromBody } from './id-lists.ts';
import type { QuotaLedger } from './quota-ledger.ts';
import type { Handler } from './router.ts';
import type { StorageBudget } from './storage-budget.ts';
import type { WriteGuard } from './write-guard.ts';

/** A batch answer stops growing past this; the client asks again for the rest. */
export const BATCH_RESPONSE_BYTES = 8 * 1024 * 1024;

/** An id list body of MAX_BATCH_IDS ids (66 bytes each as JSON) with room to spare. */
const ID_LIST_BODY_BYTES = 72 * MAX_BATCH_IDS;

/** Blobs read at once while building a batch. */
const READ_AHEAD = 16;

export interface BlobRouteDeps {
  readonly blobs: BlobStore;
  readonly blobLimit: number;
  readonly guard: WriteGuard;
  readonly quota: QuotaLedger;
  readonly budget: StorageBudget;
}

export function blobRoutes({ blobs, blobLimit, guard, quota, budget }: BlobRouteDeps): { putBlob: Handler; getBlob: Handler; missingBlobs: Handler; batchBlobs: Handler } {
  return {
    async putBlob({ req, res, params }) {
      const id = parseObjectId(params.id);
      guard.checkIp(req);
      guard.precheck(req);
      const bytes = await readBody(req, blobLimit);
      const author = await guard.authenticate(req, bytes);
      guard.checkPseudonym(author);
      const actual = hashBlob(bytes);
      if (actual !== id) throw new ProtocolError('HashMismatch', `the bytes hash to ${actual}, not ${id}`);
      const held = await blobs.has(id);
      // Held and paid for: nothing to store or charge (the common case of a retried push).
      if (held && quota.isCharged(id)) return sendJson(res, 200, { id });
      const release = quota.reserve(author, bytes.length);
      try {
        // A blob already held (mirrored, say) takes no more disk: only its pseudonym quota is charged.
        const outcome = held ? 'held' : await budget.store(req, bytes.length, () => blobs.put(id, bytes), (o) => o === 'created');
        await quota.charge(author, id, bytes.length);
        sendJson(res, outcome === 'created' ? 201 : 200, { id });
      } finally {
        release();
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
      const bytes = await blobs.find(id);
      if (!bytes) throw new ProtocolError('NotFound', `blob ${id} is not held here`);
      res.writeHead(200, { ...headers, 'content-type': 'application/octet-stream', 'content-length': bytes.length });
      res.end(bytes);
    },

    async missingBlobs({ req, res }) {
      const ids = idsFromBody(await readJsonBody(req, ID_LIST_BODY_BYTES));
      const held = await Promise.all(ids.map((id) => blobs.has(id)));
      const answer: MissingAnswer = { missing: ids.filter((_, i) => !held[i]) };
      sendJson(res, 200, answer);
    },

    async batchBlobs({ req, res }) {
      const ids = idsFromBody(await readJsonBody(req, ID_LIST_BODY_BYTES));
      const entries: BlobEntry[] = [];
      let size = 0;
      fill: for (let i = 0; i < ids.length; i += READ_AHEAD) {
        const chunk = ids.slice(i, i + READ_AHEAD);
        const found = await Promise.all(chunk.map((id) => blobs.find(id)));
        for (const [j, bytes] of found.entries()) {
          if (!bytes) continue;
          // Always send at least one blob, or a client asking for one big blob would never get it.
          if (entries.length > 0 && size + 36 + bytes.length > BATCH_RESPONSE_BYTES) break fill;
          entries.push({ id: chunk[j]!, bytes });
          size += 36 + bytes.length;
        }
      }
      const body = encodeBlobBatch(entries);
      res.writeHead(200, { ...CORS_HEADERS, 'content-type': 'application/octet-stream', 'content-length': body.length, 'cache-control': 'no-store' });
      res.end(body);
    },
  };
}

/** True when an If-None-Match header names `etag` (or `*`); weak validators compare equal here. */
function ifNoneMatch(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(',').some((tag) => {
    const t = tag.trim().replace(/^W\//, '');
    return t === etag || t === '*';
  });
}
