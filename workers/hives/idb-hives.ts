/** The worker's rows of owned and known hives (owned-hives.ts), in the core database's meta store. */
import type { CoreDb } from '../store/db.ts';
import type { KnownHive, KnownHives, OwnedHive, OwnedHives } from './owned-hives.ts';

const PREFIX = 'hive:';

export function idbOwnedHives(db: CoreDb): OwnedHives {
  return {
    async list() {
      const rows = await db.getAll('meta', IDBKeyRange.bound(PREFIX, `${PREFIX}\uffff`));
      return rows.map((r) => r.value as OwnedHive);
    },
    async find(hive) {
      return (await db.get('meta', PREFIX + hive))?.value as OwnedHive | undefined;
    },
    async put(row) {
      await db.put('meta', { key: PREFIX + row.hive, value: row });
    },
  };
}

const KNOWN = 'hive-known:';

export function idbKnownHives(db: CoreDb): KnownHives {
  return {
    async list(pseudonym) {
      const from = `${KNOWN}${pseudonym}:`;
      const rows = await db.getAll('meta', IDBKeyRange.bound(from, `${from}\uffff`));
      return rows.map((r) => r.value as KnownHive).sort((a, b) => b.since - a.since);
    },
    async put(row) {
      await db.put('meta', { key: `${KNOWN}${row.pseudonym}:${row.hive}`, value: row });
    },
  };
}
