/**
 * Everything the origin holds in IndexedDB, read from the page after the
 * fact (the worker's databases are the origin's too): every database, every
 * object store, every record's key and value, flattened to text with bytes
 * (typed arrays, ArrayBuffers, Blobs) as lowercase hex. A test searches it
 * for what must never be stored; `contains` looks for text as itself and as
 * its UTF-8 bytes, so a string inside a binary row is found too.
 */
import type { Page } from '@playwright/test';

export interface IdbDump {
  /** One line per record: `database/store key => value`. */
  readonly lines: readonly string[];
  /** Records read in all (a dump of nothing proves nothing). */
  readonly records: number;
}

export async function dumpIndexedDb(page: Page): Promise<IdbDump> {
  const lines = await page.evaluate(async () => {
    const hex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
    const flatten = async (value: unknown, seen: Set<unknown>): Promise<string> => {
      if (value === null || value === undefined) return String(value);
      if (typeof value !== 'object') return String(value);
      if (seen.has(value)) return '[cycle]';
      seen.add(value);
      if (value instanceof ArrayBuffer) return `hex:${hex(new Uint8Array(value))}`;
      if (ArrayBuffer.isView(value))
        return `hex:${hex(new Uint8Array(value.buffer, value.byteOffset, value.byteLength))}`;
      if (value instanceof Blob) return `hex:${hex(new Uint8Array(await value.arrayBuffer()))}`;
      if (value instanceof CryptoKey) return `[CryptoKey ${value.type} extractable=${value.extractable}]`;
      const parts: string[] = [];
      const entries = value instanceof Map ? [...value.entries()] : Object.entries(value);
      for (const [k, v] of entries) parts.push(`${await flatten(k, seen)}=${await flatten(v, seen)}`);
      return `{${parts.join(',')}}`;
    };
    const out: string[] = [];
    for (const info of await indexedDB.databases()) {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const open = indexedDB.open(info.name!);
        open.onsuccess = () => resolve(open.result);
        open.onerror = () => reject(open.error);
      });
      for (const storeName of Array.from(db.objectStoreNames)) {
        const [keys, values] = await new Promise<[IDBValidKey[], unknown[]]>((resolve, reject) => {
          const store = db.transaction(storeName, 'readonly').objectStore(storeName);
          const k = store.getAllKeys();
          const v = store.getAll();
          v.onsuccess = () => resolve([k.result, v.result]);
          v.onerror = () => reject(v.error);
        });
        for (let i = 0; i < keys.length; i++) {
          out.push(
            `${info.name}/${storeName} ${await flatten(keys[i], new Set())} => ${await flatten(values[i], new Set())}`,
          );
        }
      }
      db.close();
    }
    return out;
  });
  return { lines, records: lines.length };
}

/** Lines of `dump` holding `text` as itself or as its UTF-8 bytes in hex. */
export function linesWith(dump: IdbDump, text: string): string[] {
  const asHex = Buffer.from(text, 'utf8').toString('hex');
  return dump.lines.filter((l) => l.includes(text) || l.includes(asHex));
}
