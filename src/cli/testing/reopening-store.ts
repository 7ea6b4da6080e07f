/**
 * For the core store's suite (workers/store/core-store.test.ts): a FileCoreStore closed and opened again after
 * every write, optionally compacted first, so every case of the suite reads back what the journal (or its
 * snapshot) restored rather than what was still in memory. (Not imported by the command line itself.)
 */
import type { CoreStore } from '../../../workers/store/core-store.ts';
import { INBOX_WRITES } from '../../../workers/store/inbox-store.ts';
import { FileCoreStore } from '../store/file-core-store.ts';

const WRITES: ReadonlySet<string> = new Set([
  'applyBatch',
  'storeWalked',
  'settlePending',
  'acknowledge',
  'appendOwnLog',
  ...INBOX_WRITES,
]);

export async function reopeningStore(
  path: string,
  options: { readonly compact: boolean },
): Promise<{ store: CoreStore; close(): void }> {
  let current = await FileCoreStore.open(path);
  const store = new Proxy({} as CoreStore, {
    get:
      (_target, name: string) =>
      async (...args: unknown[]) => {
        const method = (current as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>)[name]!;
        const result = await method.apply(current, args);
        if (WRITES.has(name)) {
          if (options.compact) await current.compact();
          current.close();
          current = await FileCoreStore.open(path);
        }
        return result;
      },
  });
  return { store, close: () => current.close() };
}
