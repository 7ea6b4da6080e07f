/**
 * The hives this home's pseudonyms own or know, in `hives.json` beside the
 * pseudonyms: the command line's side of workers/hives/owned-hives.ts (the
 * app keeps the same rows in IndexedDB). A row holds no secret: a hive's key
 * is derived from its owner's key and the nonce. Replaced whole on each write
 * (atomic-file.ts), so a crash leaves the old file or the new one.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PseudonymId } from '../../protocol/ids.ts';
import type { KnownHive, KnownHives, OwnedHive, OwnedHives } from '../../../workers/hives/owned-hives.ts';
import { writeFileAtomic } from './atomic-file.ts';

interface HiveFile {
  readonly owned: OwnedHive[];
  readonly known: KnownHive[];
}

export class HiveFiles {
  readonly #path: string;
  constructor(home: string) {
    this.#path = join(home, 'hives.json');
  }

  #read(): HiveFile {
    if (!existsSync(this.#path)) return { owned: [], known: [] };
    return JSON.parse(readFileSync(this.#path, 'utf8')) as HiveFile;
  }

  #write(file: HiveFile): void {
    writeFileAtomic(this.#path, new TextEncoder().encode(`${JSON.stringify(file, null, 2)}\n`));
  }

  owned(): OwnedHives {
    return {
      list: async () => this.#read().owned,
      find: async (hive) => this.#read().owned.find((r) => r.hive === hive),
      put: async (row) => {
        const file = this.#read();
        this.#write({ ...file, owned: [...file.owned.filter((r) => r.hive !== row.hive), row] });
      },
    };
  }

  known(): KnownHives {
    const same = (a: KnownHive, b: { pseudonym: PseudonymId; hive: PseudonymId }) =>
      a.pseudonym === b.pseudonym && a.hive === b.hive;
    return {
      list: async (pseudonym) =>
        this.#read()
          .known.filter((r) => r.pseudonym === pseudonym)
          .sort((a, b) => b.since - a.since),
      put: async (row) => {
        const file = this.#read();
        this.#write({ ...file, known: [...file.known.filter((r) => !same(r, row)), row] });
      },
    };
  }
}
