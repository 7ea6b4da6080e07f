/**
 * Private Yjs documents in IndexedDB, one per pseudonym, held in memory once
 * loaded. Like y-indexeddb: every change is appended as an update row (in
 * the same transaction as the count of local changes not yet pushed), rows
 * are merged into one when there are many, and a document is rebuilt by
 * applying every row (updates commute, so order and repeats do not matter).
 * Another tab's worker appends to the same rows; `reload` picks them up.
 */
import * as Y from 'yjs';
import { toHex } from '../../src/protocol/bytes.ts';
import type { PseudonymId } from '../../src/protocol/ids.ts';
import { type CoreDb, type PrivateSyncRow, ownBytes } from '../store/db.ts';
import type { Random } from '../keys/keyring.ts';
import { getPseudonym } from '../keys/keyring.ts';

/** Origins of transactions: only LOCAL ones count as changes to push. */
export const LOCAL = 'local';
export const REMOTE = 'remote';

/** Rows past which loading merges them into one. */
export const COMPACT_ROWS = 64;

export interface PrivateDocsDeps {
  readonly db: CoreDb;
  readonly random: Random;
}

export class PrivateDocs {
  readonly #docs = new Map<PseudonymId, Promise<Y.Doc>>();
  /** Appends in flight per pseudonym, so a change returns once it is stored. */
  readonly #writes = new Map<PseudonymId, Promise<void>>();

  readonly #deps: PrivateDocsDeps;
  constructor(deps: PrivateDocsDeps) {
    this.#deps = deps;
  }

  /** The pseudonym's document, loaded once. @throws ProtocolError NotFound for a pseudonym not on this device */
  doc(pseudonym: PseudonymId): Promise<Y.Doc> {
    let doc = this.#docs.get(pseudonym);
    if (!doc) {
      doc = this.#load(pseudonym);
      this.#docs.set(pseudonym, doc);
      doc.catch(() => this.#docs.delete(pseudonym)); // so asking again tries again
    }
    return doc;
  }

  /** Runs `change` as one local transaction and resolves once its update is stored. */
  async change<T>(pseudonym: PseudonymId, change: (doc: Y.Doc) => T): Promise<T> {
    const doc = await this.doc(pseudonym);
    const result = doc.transact(() => change(doc), LOCAL);
    await this.settled(pseudonym);
    return result;
  }

  /**
   * Applies an update from another device (stored, but not counted as a local change).
   * @returns whether it changed anything here.
   */
  async applyRemote(pseudonym: PseudonymId, update: Uint8Array): Promise<boolean> {
    const doc = await this.doc(pseudonym);
    let changed = false;
    const seen = () => {
      changed = true;
    };
    doc.on('update', seen);
    try {
      Y.applyUpdate(doc, update, REMOTE);
    } finally {
      doc.off('update', seen);
    }
    await this.settled(pseudonym);
    return changed;
  }

  /** Applies rows another tab stored since (idempotent). */
  async reload(pseudonym: PseudonymId): Promise<void> {
    const doc = await this.doc(pseudonym);
    const rows = await this.#deps.db.getAll(
      'privateUpdates',
      IDBKeyRange.bound([pseudonym, ''], [pseudonym, '\uffff']),
    );
    Y.applyUpdate(doc, Y.mergeUpdates(rows.map((r) => r.update)), 'storage');
  }

  /** Local changes since the last push (`local > pushed`). */
  async syncRow(pseudonym: PseudonymId): Promise<PrivateSyncRow> {
    return (await this.#deps.db.get('privateSync', [pseudonym])) ?? { pseudonym, local: 0, pushed: 0 };
  }

  /** Records that a push covered local changes up to `local`. */
  async markPushed(pseudonym: PseudonymId, local: number): Promise<void> {
    const tx = this.#deps.db.transaction('privateSync', 'readwrite');
    const row = (await tx.store.get([pseudonym])) ?? { pseudonym, local, pushed: 0 };
    await tx.store.put({ ...row, pushed: Math.max(row.pushed, local) });
    await tx.done;
  }

  /** Drops the in-memory document (its rows go with the pseudonym: keyring.ts). */
  forget(pseudonym: PseudonymId): void {
    void this.#docs.get(pseudonym)?.then(
      (doc) => doc.destroy(),
      () => undefined,
    );
    this.#docs.delete(pseudonym);
  }

  /** Resolves once every update stored so far has been written. */
  async settled(pseudonym: PseudonymId): Promise<void> {
    for (let pending = this.#writes.get(pseudonym); pending; ) {
      await pending;
      const next = this.#writes.get(pseudonym);
      pending = next === pending ? undefined : next;
    }
  }

  async #load(pseudonym: PseudonymId): Promise<Y.Doc> {
    await getPseudonym(this.#deps.db, pseudonym);
    const { db } = this.#deps;
    const range = IDBKeyRange.bound([pseudonym, ''], [pseudonym, '\uffff']);
    const rows = await db.getAll('privateUpdates', range);
    const doc = new Y.Doc({ gc: true });
    if (rows.length > 0) Y.applyUpdate(doc, Y.mergeUpdates(rows.map((r) => r.update)), 'storage');
    if (rows.length > COMPACT_ROWS) {
      // Replace exactly the rows read: another tab's append meanwhile keeps its own row.
      const tx = db.transaction('privateUpdates', 'readwrite');
      await Promise.all([
        ...rows.map((r) => tx.store.delete([pseudonym, r.key])),
        tx.store.put({ pseudonym, key: this.#key(), update: Y.encodeStateAsUpdate(doc) }),
        tx.done,
      ]);
    }
    doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin === 'storage') return; // already stored
      this.#append(pseudonym, update, origin === LOCAL);
    });
    return doc;
  }

  #append(pseudonym: PseudonymId, update: Uint8Array, local: boolean): void {
    // Each append waits for the one before (its failure is that change's to report, not this one's).
    const previous = (this.#writes.get(pseudonym) ?? Promise.resolve()).catch(() => undefined);
    const write = previous.then(async () => {
      const tx = this.#deps.db.transaction(['privateUpdates', 'privateSync'], 'readwrite');
      const writes: Promise<unknown>[] = [
        tx.objectStore('privateUpdates').put({ pseudonym, key: this.#key(), update: ownBytes(update) }),
      ];
      if (local) {
        const sync = tx.objectStore('privateSync');
        const row = (await sync.get([pseudonym])) ?? { pseudonym, local: 0, pushed: 0 };
        writes.push(sync.put({ ...row, local: row.local + 1 }));
      }
      await Promise.all([...writes, tx.done]);
    });
    this.#writes.set(pseudonym, write);
    const done = () => {
      if (this.#writes.get(pseudonym) === write) this.#writes.delete(pseudonym);
    };
    write.then(done, done);
  }

  #key(): string {
    return `${Date.now().toString(36).padStart(9, '0')}-${toHex(this.#deps.random(new Uint8Array(8)))}`;
  }
}
