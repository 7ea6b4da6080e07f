/**
 * A HubStore whose blobs live elsewhere than the rest: the metadata of one
 * store (memory, files, PostgreSQL) with the blobs of another (S3), as a hub
 * with MURMUR_BLOBS=s3://... is built. Everything but `blobs` is the
 * metadata store's own, unchanged.
 */
import type { BlobStore, HubStore } from './hub-store.ts';

/**
 * `store` with `blobs` in place of its own blob store; closing it closes `store`, then calls `closeBlobs`.
 * @param closeBlobs lets go of what `blobs` holds (its connections).
 */
export function withBlobStore(store: HubStore, blobs: BlobStore, closeBlobs: () => void | Promise<void>): HubStore {
  return {
    blobs,
    heads: store.heads,
    handles: store.handles,
    inbox: store.inbox,
    directory: store.directory,
    quota: store.quota,
    addresses: store.addresses,
    disk: store.disk,
    mirror: store.mirror,
    rates: store.rates,
    seen: store.seen,
    health: async () => {
      const metadata = await store.health();
      if (!blobs.service) return metadata;
      const kind = `${metadata.kind}+${blobs.service.kind}`;
      if (!metadata.ok) return { ...metadata, kind };
      try {
        await blobs.service.check();
        return { kind, ok: true };
      } catch (error) {
        return { kind, ok: false, problem: (error as Error).message };
      }
    },
    close: async () => {
      try {
        await store.close();
      } finally {
        await closeBlobs();
      }
    },
  };
}
