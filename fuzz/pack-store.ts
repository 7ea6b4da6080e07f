/**
 * An in-memory stand-in for the two IndexedDB stores commit packs live in
 * (commit-packs.ts), so the fuzzer can write and read packs a million times
 * without a database. Keys compare as IndexedDB compares them.
 */
import 'fake-indexeddb/auto';
import type { PackBytesRow, PackKey, PackRow } from '../workers/store/db.ts';

type Row = PackRow | PackBytesRow;

export class MemoryPackStore<T extends Row> {
  readonly rows = new Map<string, { key: PackKey; value: T }>();

  #sorted(range: IDBKeyRange): { key: PackKey; value: T }[] {
    return [...this.rows.values()].filter((r) => range.includes(r.key)).sort((a, b) => indexedDB.cmp(a.key, b.key));
  }

  async getAll(range: IDBKeyRange): Promise<T[]> {
    return this.#sorted(range).map((r) => r.value);
  }

  async openCursor(range: IDBKeyRange, direction: 'prev'): Promise<{ value: T } | null> {
    const all = this.#sorted(range);
    return (direction === 'prev' ? all.at(-1) : all[0]) ?? null;
  }

  async get(key: PackKey): Promise<T | undefined> {
    return this.rows.get(JSON.stringify(key))?.value;
  }

  async put(value: T): Promise<void> {
    const key: PackKey = [value.a, value.lo, value.first];
    this.rows.set(JSON.stringify(key), { key, value });
  }

  async delete(key: PackKey): Promise<void> {
    this.rows.delete(JSON.stringify(key));
  }
}
