/**
 * Schema migrations on a real PostgreSQL 15: a database left at an older
 * version is brought to the latest, and what a migration derives from rows
 * already held is right (7: which inbox policies are boards, read from their
 * bytes).
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { buildInboxPolicy, type InboxMode } from '../../../protocol/inbox-policy.ts';
import { pseudonymOf, secretKeyFrom } from '../../../protocol/keys.ts';
import { type PostgresServer, startPostgres } from '../../testing/postgres-server.ts';
import { Database } from './database.ts';
import { MIGRATIONS, migrate } from './migrations.ts';
import { PostgresInboxStore } from './records.ts';

let server: PostgresServer;
beforeAll(async () => {
  server = await startPostgres();
}, 120_000);
// Generous: on MURMUR_TEST_POSTGRES it drops every database made, on a busy machine.
afterAll(() => server?.stop(), 120_000);

test('a database at version 6 with policies held is migrated; the boards among them are listed', async () => {
  const db = new Database(await server.createDatabase());
  try {
    await db.query(
      'CREATE TABLE schema_version (version integer PRIMARY KEY, applied timestamptz NOT NULL DEFAULT now())',
    );
    for (let version = 1; version <= 6; version++) {
      await db.query(MIGRATIONS[version - 1]!);
      await db.query('INSERT INTO schema_version (version) VALUES ($1)', [version]);
    }
    const keys = [21, 22, 23].map((b) => secretKeyFrom(new Uint8Array(32).fill(b)));
    const modes: InboxMode[] = ['board', 'closed', 'board'];
    for (const [i, key] of keys.entries()) {
      const policy = buildInboxPolicy(key, { mode: modes[i]!, senders: [], seq: 1, ts: 1 }, new Uint8Array(16));
      await db.query('INSERT INTO inbox_policies (author, seq, bytes) VALUES ($1, 1, $2)', [
        policy.policy.author,
        Buffer.from(policy.bytes),
      ]);
    }

    expect(await migrate(db)).toBe(MIGRATIONS.length);
    const boards = [keys[0]!, keys[2]!].map((k) => pseudonymOf(k)).sort();
    expect(await new PostgresInboxStore(db).listBoards()).toEqual(boards);
    // Again: nothing left to apply, the same answer.
    expect(await migrate(db)).toBe(MIGRATIONS.length);
    expect(await new PostgresInboxStore(db).listBoards()).toEqual(boards);
  } finally {
    await db.close();
  }
});
