/**
 * A pseudonym's private state on this device: drafts, mutes and blocks, in
 * the app's own Yjs document (workers/private/doc.ts owns its shape and every
 * change to it), kept in the home as the document's whole state
 * (`private/NAME.yjs`), replaced atomically after each change, under the
 * home's lock like every write.
 * It syncs with the pseudonym's other devices by the app's own private sync
 * (workers/private/sync.ts), through home/private-docs.ts.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as Y from 'yjs';
import { hiddenOf, type Hidden } from '../../../workers/private/filter.ts';
import { settingsOf } from '../../../workers/private/doc.ts';
import { writeFileAtomic } from './atomic-file.ts';

export class PrivateState {
  readonly doc = new Y.Doc();
  readonly #path: string;

  private constructor(path: string) {
    this.#path = path;
  }

  /** The state of local pseudonym `name` in `home` (empty when nothing was ever saved). */
  static open(home: string, name: string): PrivateState {
    const state = new PrivateState(join(home, 'private', `${name}.yjs`));
    if (existsSync(state.#path)) Y.applyUpdate(state.doc, readFileSync(state.#path));
    return state;
  }

  /** Runs `change` on the document in one transaction, then writes the whole state to disk. */
  change(change: (doc: Y.Doc) => void): void {
    this.doc.transact(() => change(this.doc));
    mkdirSync(join(this.#path, '..'), { recursive: true, mode: 0o700 });
    writeFileAtomic(this.#path, Y.encodeStateAsUpdate(this.doc));
  }

  /** What the mutes and blocks hide (workers/private/filter.ts). */
  hidden(): Hidden {
    return hiddenOf(settingsOf(this.doc));
  }
}
