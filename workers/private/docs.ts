/**
 * Private Yjs documents in IndexedDB, one per pseudonym, held in memory once
 * loaded. Like y-indexeddb: every change is appended as an update row (in
 * the same transaction as the count of local changes not yet pushed), rows
 * are merged into one when there are many, and a document is rebuilt by
 * applying every row (updates commute, so order and repeats do not matter).
 * Another tab's worker appends to the same rows; `reload` picks them up.
 * Beside the rows, each write keeps the document's plain view and the keys
 * of the rows it was made from (view.ts), for reads that come before Yjs.
 */
import * as Y from 'yjs';
import { toHex } from '../../src/protocol/bytes.ts';
import type { PseudonymId } from '../../src/protocol/ids.ts';
import { type CoreDb, type PrivateSyncRow, ownBytes } from '../store/db.ts';
import type { Random } from '../keys/keyring.ts';
import { getPseudonym } from '../keys/keyring.ts';
import { draftsOf, settingsOf } from './doc.ts';
import type { PrivateView } from './view.ts';

/** Origins of transactions: only LOCAL ones count as changes to push. */
export const LOCAL = 'local';
export const REMOTE = 'remote';

/** Rows past which loading merges them into one. */
export const COMPACT_ROWS = 64;

export interface PrivateDocsDeps {
  readonly db: CoreDb;
  readonly random: Random;
}

/** The privateSync store of a readwrite transaction (of whichever stores). */
interface SyncStore {
  get(key: [PseudonymId]): Promise<PrivateSyncRow | undefined>;
  put(row: PrivateSyncRow): Promise<unknown>;
}

export class PrivateDocs {
  readonly #docs = new Map<PseudonymId, Promise<Y.Doc>>();
  /** Appends in flight per pseudonym, so a change returns once it is stored. */
  readonly #writes = new Map<PseudonymId, Promise<void>>();
  /** The keys of the update rows each loaded document holds: its own appends (from when issued) and the rows read. */
  readonly #applied = new Map<PseudonymId, Set<string>>();

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
    const applied = this.#appliedOf(pseudonym);
    for (const row of rows) applied.add(row.key);
    const tx = this.#deps.db.transaction('privateSync', 'readwrite');
    await Promise.all([this.#keepView(tx.store, pseudonym, doc), tx.done]);
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
    this.#applied.delete(pseudonym);
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
    const applied = new Set(rows.map((r) => r.key));
    this.#applied.set(pseudonym, applied);
    const tx = db.transaction(['privateUpdates', 'privateSync'], 'readwrite');
    const writes: Promise<unknown>[] = [];
    if (rows.length > COMPACT_ROWS) {
      // Replace exactly the rows read: another tab's append meanwhile keeps its own row.
      const key = this.#key();
      applied.clear();
      applied.add(key);
      const updates = tx.objectStore('privateUpdates');
      writes.push(
        ...rows.map((r) => updates.delete([pseudonym, r.key])),
        updates.put({ pseudonym, key, update: Y.encodeStateAsUpdate(doc) }),
      );
    }
    // Also where an older version left rows without a view, or another tab's view did not cover them all.
    if (rows.length > 0) writes.push(this.#keepView(tx.objectStore('privateSync'), pseudonym, doc));
    await Promise.all([...writes, tx.done]);
    doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin === 'storage') return; // already stored
      this.#append(pseudonym, doc, update, origin === LOCAL);
    });
    return doc;
  }

  #append(pseudonym: PseudonymId, doc: Y.Doc, update: Uint8Array, local: boolean): void {
    // The key is the doc's from now: a view written before this row lands must not count without it.
    const key = this.#key();
    this.#appliedOf(pseudonym).add(key);
    // Each append waits for the one before (its failure is that change's to report, not this one's).
    const previous = (this.#writes.get(pseudonym) ?? Promise.resolve()).catch(() => undefined);
    const write = previous.then(async () => {
      const tx = this.#deps.db.transaction(['privateUpdates', 'privateSync'], 'readwrite');
      const put = tx.objectStore('privateUpdates').put({ pseudonym, key, update: ownBytes(update) });
      await Promise.all([put, this.#keepView(tx.objectStore('privateSync'), pseudonym, doc, local ? 1 : 0), tx.done]);
    });
    this.#writes.set(pseudonym, write);
    const done = () => {
      if (this.#writes.get(pseudonym) === write) this.#writes.delete(pseudonym);
    };
    write.then(done, done);
  }

  /** Writes the document's view as of now, with the keys of the rows it holds; `counted` local changes more. */
  async #keepView(store: SyncStore, pseudonym: PseudonymId, doc: Y.Doc, counted = 0): Promise<void> {
    const row = (await store.get([pseudonym])) ?? { pseudonym, local: 0, pushed: 0 };
    const view: PrivateView = { settings: settingsOf(doc), drafts: draftsOf(doc) };
    const keys = [...this.#appliedOf(pseudonym)].sort();
    await store.put({ ...row, local: row.local + counted, view: { keys, view } });
  }

  #appliedOf(pseudonym: PseudonymId): Set<string> {
    let applied = this.#applied.get(pseudonym);
    if (!applied) {
      applied = new Set();
      this.#applied.set(pseudonym, applied);
    }
    return applied;
  }

  #key(): string {
    return `${Date.now().toString(36).padStart(9, '0')}-${toHex(this.#deps.random(new Uint8Array(8)))}`;
  }
}
