/**
 * What naming a person and listing the inbox read (core-store.ts PeopleReads)
 * on the worker's IndexedDB: the inbox's rows (idb-inbox-store.ts) plus the
 * profile and follow rows of held feeds. Apart from IdbCoreStore, which adds
 * the feeds' writes: a reader of conversations and notifications needs
 * neither the write path nor the crypto it imports.
 */
import type { PseudonymId } from '../../src/protocol/ids.ts';
import type { PeopleReads } from './core-store.ts';
import type { CoreDb, FollowRow } from './db.ts';
import { IdbInboxStore } from './idb-inbox-store.ts';

export class IdbPeopleReads extends IdbInboxStore implements PeopleReads {
  readonly #db: CoreDb;
  constructor(db: CoreDb) {
    super(db);
    this.#db = db;
  }

  listFollowHints(target: PseudonymId): Promise<FollowRow[]> {
    return this.#db.getAllFromIndex('follows', 'byTarget', target);
  }

  async findProfileField(author: PseudonymId, field: string): Promise<unknown> {
    return (await this.#db.get('profiles', [author, field]))?.value;
  }
}
