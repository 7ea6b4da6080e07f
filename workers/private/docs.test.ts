/** Private documents in IndexedDB: rebuilt by a new worker, compacted, counted for push, removed with the pseudonym. */
import 'fake-indexeddb/auto';
import { afterEach, expect, test } from 'vitest';
import { pseudonymOf, secretKeyFrom } from '../../src/protocol/keys.ts';
import { type CoreDb, openCoreDb } from '../store/db.ts';
import { retirePseudonym } from '../keys/keyring.ts';
import { COMPACT_ROWS, PrivateDocs } from './docs.ts';
import { draftsOf, setEntry, writeDraft } from './doc.ts';

const secretKey = secretKeyFrom(new Uint8Array(32).fill(7));
const me = pseudonymOf(secretKey);
const random = (a: Uint8Array<ArrayBuffer>) => crypto.getRandomValues(a);
const open: CoreDb[] = [];
let n = 0;

async function database(name = `private-docs-${process.pid}-${++n}`): Promise<{ db: CoreDb; name: string }> {
  const db = await openCoreDb(name);
  open.push(db);
  await db.put('pseudonyms', { id: me, name: 'Alice', hubs: ['http://127.0.0.1:1'], createdAt: 1, secretKey });
  return { db, name };
}

afterEach(() => {
  for (const db of open.splice(0)) db.close();
});

const rowsOf = (db: CoreDb) => db.getAll('privateUpdates', IDBKeyRange.bound([me, ''], [me, '\uffff']));

test('changes are stored as they happen and a new worker rebuilds the same document', async () => {
  const { db } = await database();
  const docs = new PrivateDocs({ db, random });
  await docs.change(me, (doc) => writeDraft(doc, { id: 'a', body: 'kept' }, 5));
  await docs.change(me, (doc) => setEntry(doc, 'mutedWords', 'spoiler', true, 6));
  expect(await rowsOf(db)).toHaveLength(2);
  expect(await docs.syncRow(me)).toMatchObject({ pseudonym: me, local: 2, pushed: 0 });

  const again = new PrivateDocs({ db, random });
  expect(draftsOf(await again.doc(me))).toEqual([{ id: 'a', body: 'kept', updatedAt: 5 }]);
  await again.markPushed(me, 2);
  expect(await again.syncRow(me)).toMatchObject({ local: 2, pushed: 2 });
});

test('updates from another device are stored but are not local changes to push', async () => {
  const { db } = await database();
  const other = new PrivateDocs({ db: (await database()).db, random });
  await other.change(me, (doc) => writeDraft(doc, { id: 'x', body: 'from elsewhere' }, 1));
  const { encodeStateAsUpdate } = await import('yjs');
  const docs = new PrivateDocs({ db, random });
  expect(await docs.applyRemote(me, encodeStateAsUpdate(await other.doc(me)))).toBe(true);
  // nothing new the second time
  expect(await docs.applyRemote(me, encodeStateAsUpdate(await other.doc(me)))).toBe(false);
  expect(await docs.syncRow(me)).toMatchObject({ local: 0 });
  expect(draftsOf(await new PrivateDocs({ db, random }).doc(me)).map((d) => d.body)).toEqual(['from elsewhere']);
});

test('many rows are merged into one on load, without losing anything', async () => {
  const { db } = await database();
  const docs = new PrivateDocs({ db, random });
  for (let i = 0; i <= COMPACT_ROWS; i++)
    await docs.change(me, (doc) => writeDraft(doc, { id: 'a', body: `version ${i}` }, i));
  expect((await rowsOf(db)).length).toBe(COMPACT_ROWS + 1);
  const loaded = new PrivateDocs({ db, random });
  expect(draftsOf(await loaded.doc(me))[0]!.body).toBe(`version ${COMPACT_ROWS}`);
  expect(await rowsOf(db)).toHaveLength(1);
});

test("another tab's changes are picked up by reload; retiring the pseudonym removes its rows", async () => {
  const { db } = await database();
  const tab1 = new PrivateDocs({ db, random });
  const tab2 = new PrivateDocs({ db, random });
  await tab1.doc(me);
  await tab2.change(me, (doc) => writeDraft(doc, { id: 'b', body: 'from tab two' }, 1));
  expect(draftsOf(await tab1.doc(me))).toEqual([]);
  await tab1.reload(me);
  expect(draftsOf(await tab1.doc(me)).map((d) => d.body)).toEqual(['from tab two']);

  await retirePseudonym(db, me);
  expect(await rowsOf(db)).toEqual([]);
  expect(await db.get('privateSync', [me])).toBeUndefined();
  await expect(new PrivateDocs({ db, random }).doc(me)).rejects.toMatchObject({ name: 'NotFound' });
});
