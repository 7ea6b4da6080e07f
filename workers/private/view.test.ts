import 'fake-indexeddb/auto';
import { afterEach, expect, test } from 'vitest';
import { pseudonymOf, secretKeyFrom } from '../../src/protocol/keys.ts';
import { type CoreDb, openCoreDb } from '../store/db.ts';
import { COMPACT_ROWS, PrivateDocs } from './docs.ts';
import { draftsOf, setEntry, settingsOf, writeDraft } from './doc.ts';
import { EMPTY_VIEW, readPrivateView } from './view.ts';

const secretKey = secretKeyFrom(new Uint8Array(32).fill(8));
const me = pseudonymOf(secretKey);
const random = (a: Uint8Array<ArrayBuffer>) => crypto.getRandomValues(a);
const open: CoreDb[] = [];
let n = 0;

async function database(): Promise<CoreDb> {
  const db = await openCoreDb(`private-view-${process.pid}-${++n}`);
  open.push(db);
  await db.put('pseudonyms', { id: me, name: 'Alice', hubs: ['http://127.0.0.1:1'], createdAt: 1, secretKey });
  return db;
}

afterEach(() => {
  for (const db of open.splice(0)) db.close();
});

/** What the document itself says, the way the view shapes it. */
async function truth(docs: PrivateDocs) {
  const doc = await docs.doc(me);
  return { settings: settingsOf(doc), drafts: draftsOf(doc) };
}

test('with no private rows the view is empty without any document', async () => {
  expect(await readPrivateView(await database(), me)).toEqual(EMPTY_VIEW);
});

test('each change keeps the view beside its row, and it says what the document says', async () => {
  const db = await database();
  const docs = new PrivateDocs({ db, random });
  await docs.change(me, (doc) => writeDraft(doc, { id: 'a', body: 'half a thought' }, 5));
  await docs.change(me, (doc) => setEntry(doc, 'mutedWords', 'spoiler', true, 6));
  const view = await readPrivateView(db, me);
  expect(view?.settings.mutedWords.map((e) => e.value)).toEqual(['spoiler']);
  expect(view).toEqual(await truth(docs));
});

test("a row the view was not made from (another tab's, or one written before views) makes it not count", async () => {
  const db = await database();
  const tab1 = new PrivateDocs({ db, random });
  const tab2 = new PrivateDocs({ db, random });
  await tab1.change(me, (doc) => setEntry(doc, 'mutedTags', 'news', true, 1));
  await tab2.doc(me);
  await tab2.change(me, (doc) => setEntry(doc, 'mutedTags', 'sport', true, 2));
  // tab2 had read tab1's row, so its view covers both rows.
  expect((await readPrivateView(db, me))?.settings.mutedTags.map((e) => e.value)).toEqual(['sport', 'news']);
  await tab1.change(me, (doc) => setEntry(doc, 'mutedTags', 'weather', true, 3));
  // tab1 has not read tab2's row: its view lacks "sport", so it must not be used.
  expect(await readPrivateView(db, me)).toBeUndefined();
  await tab1.reload(me);
  expect(await readPrivateView(db, me)).toEqual(await truth(tab1));

  // A row with no view beside it (as an older version stored them): reading the document writes one.
  await db.put('privateUpdates', { ...(await db.getAll('privateUpdates'))[0]!, key: '0-old' });
  expect(await readPrivateView(db, me)).toBeUndefined();
  const fresh = new PrivateDocs({ db, random });
  expect(await readPrivateView(db, me)).toBeUndefined();
  await fresh.doc(me);
  expect(await readPrivateView(db, me)).toEqual(await truth(fresh));
});

test('merging many rows into one keeps a view of the merged row', async () => {
  const db = await database();
  const docs = new PrivateDocs({ db, random });
  for (let i = 0; i <= COMPACT_ROWS; i++)
    await docs.change(me, (doc) => writeDraft(doc, { id: 'a', body: `v${i}` }, i));
  const loaded = new PrivateDocs({ db, random });
  await loaded.doc(me);
  expect(await db.count('privateUpdates')).toBe(1);
  expect((await readPrivateView(db, me))?.drafts.map((d) => d.body)).toEqual([`v${COMPACT_ROWS}`]);
});
