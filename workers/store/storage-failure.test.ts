/**
 * A write the browser refuses (quota, a broken database) reaches the caller
 * as a value with words, and nothing is half-saved: no post, no queued
 * commit, no false "posted".
 */
import 'fake-indexeddb/auto';
import { expect, test } from 'vitest';
import { pickVerify } from '../../src/protocol/keys.ts';
import { createCoreApi } from '../api/api.ts';
import { type CoreDb, openCoreDb } from './db.ts';
import { countCommits } from './commit-store.ts';

/**
 * A db whose readwrite transactions on `store` fail as a full
 * disk does: the transaction aborts with QuotaExceededError.
 */
function failingWrites(db: CoreDb, store: string, name: string): { db: CoreDb; failing: { on: boolean } } {
  const failing = { on: true };
  const proxy = new Proxy(db, {
    get(target, key) {
      const value = Reflect.get(target, key, target) as unknown;
      if (key !== 'transaction') return typeof value === 'function' ? value.bind(target) : value;
      return (stores: string | string[], mode?: IDBTransactionMode) => {
        const tx = target.transaction(stores as never, mode);
        const names = Array.isArray(stores) ? stores : [stores];
        if (!failing.on || mode !== 'readwrite' || !names.includes(store)) return tx;
        // As Chromium fails a full disk: every request succeeds, then the commit
        // fails and the transaction aborts with QuotaExceededError.
        const error = new DOMException('The quota has been exceeded.', name);
        tx.done.catch(() => undefined); // its AbortError is what we turn into `error`
        const writes: Promise<unknown>[] = [];
        let done: Promise<void> | undefined;
        const failAtCommit = () =>
          (done ??= Promise.all(writes).then(
            () => {
              tx.abort(); // still inside the last request's success: before the commit
              return Promise.reject(error);
            },
            () => Promise.reject(error),
          ));
        const wrapStore = (s: object) =>
          new Proxy(s, {
            get(t, k) {
              const v = Reflect.get(t, k, t) as unknown;
              if (typeof v !== 'function') return v;
              if (k !== 'put' && k !== 'add' && k !== 'delete') return v.bind(t);
              return (...args: unknown[]) => {
                const request = (v as (...a: unknown[]) => Promise<unknown>).apply(t, args);
                writes.push(request);
                return request;
              };
            },
          });
        return new Proxy(tx, {
          get(t, k) {
            if (k === 'done') return failAtCommit();
            if (k === 'objectStore') return (n: string) => wrapStore(t.objectStore(n as never));
            if (k === 'store') return wrapStore(t.store);
            const v = Reflect.get(t, k, t) as unknown;
            return typeof v === 'function' ? v.bind(t) : v;
          },
        });
      };
    },
  });
  return { db: proxy, failing };
}

for (const [domName, error, words] of [
  ['QuotaExceededError', 'StorageFull', /out of storage space/],
  ['UnknownError', 'StorageError', /storage failed/],
] as const) {
  test(`a post whose write fails with ${domName} comes back as ${error}, and nothing is stored`, async () => {
    const real = await openCoreDb(`murmur-storage-${domName}-${process.pid}`);
    const { db, failing } = failingWrites(real, 'outbox', domName);
    const api = createCoreApi({
      db,
      verify: await pickVerify(),
      now: Date.now,
      random: (a) => crypto.getRandomValues(a),
      online: false,
      fetch: () => Promise.reject(new TypeError('offline in this test')),
    });
    failing.on = false;
    const me = await api.createPseudonym({ name: 'Alice', homeHub: 'http://127.0.0.1:9' });
    failing.on = true;
    const result = await api.post(me.id, 'will not fit');
    expect(result).toMatchObject({ ok: false, error });
    if (!result.ok) expect(result.message).toMatch(words);
    expect(await api.listTimeline(me.id, { limit: 10 })).toEqual([]);
    expect(await real.count('outbox')).toBe(0);
    expect(await countCommits(real)).toBe(0);
    expect((await api.getSyncStatus(me.id)).queued).toBe(0);

    failing.on = false; // space freed: the same post goes through
    expect(await api.post(me.id, 'fits now')).toMatchObject({ ok: true });
    expect((await api.listTimeline(me.id, { limit: 10 })).map((i) => i.body)).toEqual(['fits now']);
    await api.close();
    real.close();
  });
}
