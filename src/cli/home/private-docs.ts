/**
 * The home's private documents as the private sync (workers/private/sync.ts)
 * reads and writes them: `private/NAME.yjs` (home/private-state.ts) and,
 * beside it, `private/NAME.pushed`, the hash of the document's whole state
 * when it last matched the hub's. Local changes the hub lacks are those that
 * changed the state since (its whole encoding, not the state vector: a Yjs
 * deletion, an unmute or a removed draft, moves no state vector); merging the
 * hub's updates into a document with none keeps it matched, so only what was
 * made here is ever pushed back.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as Y from 'yjs';
import { type ObjectId, type PseudonymId, hashBytes } from '../../protocol/ids.ts';
import { CoreError } from '../../../workers/errors.ts';
import type { PrivateDocStore } from '../../../workers/private/sync.ts';
import { writeFileAtomic } from './atomic-file.ts';
import { PrivateState } from './private-state.ts';

/** What a document holds, as one hash of its whole state (its structs and its deletions). */
const stateOf = (doc: Y.Doc): ObjectId => hashBytes(Y.encodeStateAsUpdate(doc));
const EMPTY = stateOf(new Y.Doc());

export class HomePrivateDocs implements PrivateDocStore {
  readonly #home: string;
  readonly #nameOf: (pseudonym: PseudonymId) => string | undefined;
  readonly #open = new Map<PseudonymId, PrivateState>();

  /** @param nameOf the home's name for a pseudonym it holds (its files are named by it) */
  constructor(home: string, nameOf: (pseudonym: PseudonymId) => string | undefined) {
    this.#home = home;
    this.#nameOf = nameOf;
  }

  async doc(pseudonym: PseudonymId): Promise<Y.Doc> {
    return this.#state(pseudonym).doc;
  }

  async applyRemote(pseudonym: PseudonymId, update: Uint8Array): Promise<boolean> {
    const state = this.#state(pseudonym);
    const before = stateOf(state.doc);
    const matched = before === this.#pushed(pseudonym);
    let after = before;
    state.change((doc) => {
      Y.applyUpdate(doc, update, 'remote');
      after = stateOf(doc);
    });
    if (matched) this.#setPushed(pseudonym, after);
    return before !== after;
  }

  async syncRow(pseudonym: PseudonymId): Promise<{ local: number; pushed: number }> {
    return { local: stateOf(this.#state(pseudonym).doc) === this.#pushed(pseudonym) ? 0 : 1, pushed: 0 };
  }

  async reload(pseudonym: PseudonymId): Promise<void> {
    this.#open.delete(pseudonym);
  }

  async markPushed(pseudonym: PseudonymId): Promise<void> {
    this.#setPushed(pseudonym, stateOf(this.#state(pseudonym).doc));
  }

  #state(pseudonym: PseudonymId): PrivateState {
    let state = this.#open.get(pseudonym);
    if (!state) {
      state = PrivateState.open(this.#home, this.#name(pseudonym));
      this.#open.set(pseudonym, state);
    }
    return state;
  }

  #name(pseudonym: PseudonymId): string {
    const name = this.#nameOf(pseudonym);
    if (name === undefined) throw new CoreError('NotFound', `this home holds no pseudonym ${pseudonym}`);
    return name;
  }

  #pushedPath(pseudonym: PseudonymId): string {
    return join(this.#home, 'private', `${this.#name(pseudonym)}.pushed`);
  }

  #pushed(pseudonym: PseudonymId): ObjectId {
    const path = this.#pushedPath(pseudonym);
    return existsSync(path) ? (readFileSync(path, 'utf8') as ObjectId) : EMPTY;
  }

  #setPushed(pseudonym: PseudonymId, state: ObjectId): void {
    writeFileAtomic(this.#pushedPath(pseudonym), new TextEncoder().encode(state));
  }
}
