/**
 * A log of every IndexedDB write (IDBObjectStore put and add, IDBCursor
 * update) a page or worker makes once the log is installed, each flattened
 * to text with bytes as lowercase hex, as e2e/idb-dump.ts does. A page gets
 * it by an init script, before any of its code runs; a worker gets it by
 * evaluate as soon as Playwright reports the worker, so a write in a
 * worker's first moments can be missed (what it leaves stored is still in
 * the dump read afterwards).
 */
import type { BrowserContext, Page, Worker } from '@playwright/test';

/** Installs the log in the global scope it runs in (self-contained: it is serialised into pages and workers). */
export function installWriteLog(): void {
  const g = globalThis as unknown as { __murmurWrites?: string[] };
  if (g.__murmurWrites) return;
  const writes: string[] = [];
  g.__murmurWrites = writes;
  const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  const flat = (v: unknown, depth: number): string => {
    if (v === null || typeof v !== 'object') return String(v);
    if (depth > 30) return '[deep]';
    if (v instanceof ArrayBuffer) return `hex:${hex(new Uint8Array(v))}`;
    if (ArrayBuffer.isView(v)) return `hex:${hex(new Uint8Array(v.buffer, v.byteOffset, v.byteLength))}`;
    if (typeof Blob !== 'undefined' && v instanceof Blob) {
      void v.arrayBuffer().then((b) => writes.push(`blob hex:${hex(new Uint8Array(b))}`));
      return '[Blob]';
    }
    const entries = v instanceof Map ? [...v.entries()] : Object.entries(v);
    return `{${entries.map(([k, x]) => `${flat(k, depth + 1)}=${flat(x, depth + 1)}`).join(',')}}`;
  };
  for (const method of ['put', 'add'] as const) {
    const original = IDBObjectStore.prototype[method];
    IDBObjectStore.prototype[method] = function (this: IDBObjectStore, ...args: [unknown, IDBValidKey?]) {
      writes.push(`${this.transaction.db.name}/${this.name} ${method} ${flat(args[1], 0)} => ${flat(args[0], 0)}`);
      return original.apply(this, args);
    };
  }
  const update = IDBCursor.prototype.update;
  IDBCursor.prototype.update = function (this: IDBCursor, value: unknown) {
    const source = this.source as IDBObjectStore | IDBIndex;
    writes.push(`${source.name} update ${flat(this.primaryKey, 0)} => ${flat(value, 0)}`);
    return update.call(this, value);
  };
}

/** Logs the writes of `context`'s pages (from their first script) and of every worker they start. */
export async function logWrites(context: BrowserContext): Promise<void> {
  await context.addInitScript(installWriteLog);
  const install = (w: Worker) => void w.evaluate(installWriteLog).catch(() => undefined); // a worker may end first
  context.on('page', (page) => page.on('worker', install));
  context.on('serviceworker', install);
  for (const w of context.serviceWorkers()) install(w);
}

/** The writes logged so far in `page`, its workers and the context's service workers. */
export async function loggedWrites(page: Page): Promise<string[]> {
  const read = () => (globalThis as unknown as { __murmurWrites?: string[] }).__murmurWrites ?? [];
  const workers = [...page.workers(), ...page.context().serviceWorkers()];
  return [await page.evaluate(read), ...(await Promise.all(workers.map((w) => w.evaluate(read))))].flat();
}
