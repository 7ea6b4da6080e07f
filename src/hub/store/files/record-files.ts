/**
 * Signed records kept one per author in the file store (inbox policies in
 * inbox-policies/, directory listings in listings/): a file per pseudonym
 * (its id, 64 lowercase hex characters, a safe file name as it is) holding
 * the record's signed bytes, replaced atomically and durably by a newer one
 * (record-rules.ts decides), and an in-memory index read at start.
 */
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { isLowerHex } from '../../../protocol/bytes.ts';
import type { PseudonymId } from '../../../protocol/ids.ts';
import { KeyedLock } from '../../../runtime/keyed-lock.ts';
import { CorruptStore } from '../store-errors.ts';
import { makeDirDurably } from './durable-fs.ts';
import { DurableWriter } from './durable-writer.ts';

export interface RecordKind<T> {
  /** The folder's name, for the messages of CorruptStore. */
  readonly folder: string;
  /** What one is called ("an inbox policy"). */
  readonly what: string;
  /** @throws anything when the bytes are not one */
  decode(bytes: Uint8Array): T;
  authorOf(record: T): PseudonymId;
  bytesOf(record: T): Uint8Array;
  /** 'replace' or 'held'. @throws ProtocolError when the new one is stale */
  outcome(held: T | undefined, next: T): 'replace' | 'held';
}

export class FileRecords<T> {
  readonly #dir: string;
  readonly #kind: RecordKind<T>;
  readonly #writer: DurableWriter;
  readonly #records: Map<PseudonymId, T>;
  readonly #lock = new KeyedLock();

  private constructor(dir: string, tmpDir: string, kind: RecordKind<T>, records: Map<PseudonymId, T>) {
    this.#dir = dir;
    this.#kind = kind;
    this.#writer = new DurableWriter(tmpDir);
    this.#records = records;
  }

  /** @throws CorruptStore when a file cannot be read as the record of the pseudonym it is named for. */
  static async open<T>(dir: string, tmpDir: string, kind: RecordKind<T>): Promise<FileRecords<T>> {
    await makeDirDurably(dir);
    const records = new Map<PseudonymId, T>();
    for (const name of await readdir(dir)) {
      if (!isLowerHex(name, 32)) continue;
      records.set(name as PseudonymId, parseRecordFile(kind, name, await readFile(join(dir, name))));
    }
    return new FileRecords(dir, tmpDir, kind, records);
  }

  find(author: PseudonymId): T | undefined {
    return this.#records.get(author);
  }

  /** Every record held, in no order. */
  all(): IterableIterator<T> {
    return this.#records.values();
  }

  put(record: T): Promise<'created' | 'held'> {
    const author = this.#kind.authorOf(record);
    return this.#lock.run(author, async () => {
      if (this.#kind.outcome(this.#records.get(author), record) === 'held') return 'held';
      await this.#writer.write(join(this.#dir, author), this.#kind.bytesOf(record));
      this.#records.set(author, record);
      return 'created';
    });
  }

  close(): Promise<void> {
    return this.#writer.close();
  }
}

function parseRecordFile<T>(kind: RecordKind<T>, name: string, bytes: Uint8Array): T {
  let record: T;
  try {
    record = kind.decode(bytes);
  } catch (error) {
    throw new CorruptStore(`${kind.folder}/${name}: not ${kind.what} (${(error as Error).name})`, { cause: error });
  }
  const author = kind.authorOf(record);
  if (author !== name)
    throw new CorruptStore(`${kind.folder}/${name}: holds the ${kind.what.replace(/^an? /, '')} of ${author}`);
  return record;
}
