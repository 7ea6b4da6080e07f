/**
 * Media bytes for the UI: from the blob store, or fetched from hubs that may
 * hold them (the hubs of the feeds this device follows and its own home hubs),
 * checked against the id (its sha256) before they are stored or returned.
 */
import { type ObjectId, hashBytes, isObjectId } from '../../src/protocol/ids.ts';
import { blobRowOf, type CoreDb } from '../store/db.ts';
import type { HubClient } from '../net/hub-client.ts';
import { readHubs } from './catch-up-plan.ts';

export async function findMedia(
  db: CoreDb,
  hub: (origin: string) => HubClient,
  id: ObjectId,
): Promise<Uint8Array | undefined> {
  if (!isObjectId(id)) return undefined;
  const held = await db.get('blobs', id);
  if (held) return held.bytes;
  const [follows, own] = await Promise.all([db.getAll('follows'), db.getAll('pseudonyms')]);
  // A followed feed's first hub as it signed it last (a feed that moved: PROTOCOL.md, Moving hubs), then its hint.
  const followed = await Promise.all(
    follows
      .filter((f) => f.active)
      .map(async (f) => readHubs((await db.get('profiles', [f.target, 'hubs']))?.value, f.hubs)[0]),
  );
  const origins = [...new Set([...followed, ...own.map((p) => p.hubs[0])].filter((h): h is string => !!h))];
  for (const origin of origins) {
    let bytes: Uint8Array;
    try {
      bytes = await hub(origin).getBlob(id);
    } catch {
      continue; // not there (or unreachable): ask the next hub
    }
    if (hashBytes(bytes) !== id) continue; // a hub serving wrong bytes is skipped, never trusted
    await db.put('blobs', blobRowOf(id, bytes));
    return bytes;
  }
  return undefined;
}
