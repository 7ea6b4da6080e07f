/**
 * Storage quotas: each pseudonym is charged the bytes of the blobs it was the
 * first to upload (a blob already held costs its second uploader nothing;
 * blobs taken by mirroring are charged to nobody). The ledger is an append
 * log, quota.log, one line `<author> <blob id> <bytes>` per charge, durable
 * before the upload is acknowledged. The charge is written while the blob
 * is (routes/blobs.ts), so a crash mid-upload leaves either the blob
 * uncharged, and the client's retry (the write was never acknowledged)
 * charges it then, or the blob charged and not stored, which the retry does
 * not charge again.
 */
import { ProtocolError } from '../../../protocol/errors.ts';
import type { ObjectId, PseudonymId } from '../../../protocol/ids.ts';
import type { QuotaLedger, Release } from '../hub-store.ts';
import { type AppendLog, openAppendLog } from './append-log.ts';
import { type QuotaCharge, parseQuotaLog } from './log-formats.ts';

export class FileQuotaLedger implements QuotaLedger {
  readonly #log: AppendLog;
  readonly #limit: number;
  readonly #used = new Map<string, number>();
  /** Bytes of uploads checked against the quota but not yet charged. */
  readonly #pending = new Map<string, number>();
  readonly #charged = new Set<string>();

  private constructor(log: AppendLog, limit: number) {
    this.#log = log;
    this.#limit = limit;
  }

  /** @param limit bytes per pseudonym; 0 means no limit (charges are still kept). */
  static async open(path: string, tmpDir: string, limit: number): Promise<FileQuotaLedger> {
    let charges: QuotaCharge[] = [];
    const { log } = await openAppendLog(path, tmpDir, (lines) => {
      charges = parseQuotaLog(lines);
      return undefined;
    });
    const ledger = new FileQuotaLedger(log, limit);
    for (const { author, id, bytes } of charges) ledger.#add(author, id, bytes);
    return ledger;
  }

  /** Bytes charged to `author`. */
  async usedBy(author: PseudonymId): Promise<number> {
    return this.#usedBy(author);
  }

  async isCharged(id: ObjectId): Promise<boolean> {
    return this.#charged.has(id);
  }

  /**
   * Holds `bytes` of `author`'s quota while an upload is stored; call the
   * returned release when done, whatever the outcome.
   * @throws ProtocolError QuotaExceeded
   */
  async reserve(author: PseudonymId, bytes: number): Promise<Release> {
    const pending = this.#pending.get(author) ?? 0;
    const used = this.#usedBy(author) + pending;
    if (this.#limit > 0 && used + bytes > this.#limit) {
      throw new ProtocolError(
        'QuotaExceeded',
        `this pseudonym has stored ${used} of its ${this.#limit} bytes; a ${bytes}-byte blob would pass the quota`,
      );
    }
    this.#pending.set(author, pending + bytes);
    let released = false;
    return async () => {
      if (released) return;
      released = true;
      const left = (this.#pending.get(author) ?? 0) - bytes;
      if (left > 0) this.#pending.set(author, left);
      else this.#pending.delete(author);
    };
  }

  /** Charges `author` for blob `id` unless someone already was; resolves once durable. */
  async charge(author: PseudonymId, id: ObjectId, bytes: number): Promise<void> {
    if (this.#charged.has(id)) return;
    await this.#log.append(`${author} ${id} ${bytes}`);
    this.#add(author, id, bytes);
  }

  close(): Promise<void> {
    return this.#log.close();
  }

  #usedBy(author: string): number {
    return this.#used.get(author) ?? 0;
  }

  #add(author: string, id: string, bytes: number): void {
    if (this.#charged.has(id)) return;
    this.#charged.add(id);
    this.#used.set(author, (this.#used.get(author) ?? 0) + bytes);
  }
}
