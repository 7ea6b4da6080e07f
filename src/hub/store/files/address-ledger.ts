/**
 * Per-address storage budgets: the bytes newly stored by requests from each
 * client address group (address-group.ts), whoever signed them. Pseudonym
 * quotas (quota-ledger.ts) alone do not bound the disk, since a new key costs
 * nothing; an address does.
 *
 * The ledger is an append log, address.log, one line `<group> <bytes>` per
 * charge (a refund is a negative charge), durable before the write is
 * acknowledged, so neither a restart nor kill -9 gives an address its budget
 * back. At start the lines are summed; when they far outnumber the groups the
 * log is rewritten as one line per group. The budget never refills: it bounds
 * what an address may ever add to this hub, like the pseudonym quota.
 */
import { ProtocolError } from '../../../protocol/errors.ts';
import type { AddressLedger, Release } from '../hub-store.ts';
import { type AppendLog, openAppendLog } from './append-log.ts';
import { parseAddressLog } from './log-formats.ts';

export class FileAddressLedger implements AddressLedger {
  readonly #log: AppendLog;
  readonly #limit: number;
  readonly #used: Map<string, number>;
  /** Bytes of writes checked against the budget but not yet charged. */
  readonly #pending = new Map<string, number>();

  private constructor(log: AppendLog, limit: number, used: Map<string, number>) {
    this.#log = log;
    this.#limit = limit;
    this.#used = used;
  }

  /**
   * @param limit bytes per address group; 0 means no limit (charges are still kept, so turning it on later counts the
   *        past).
   * @throws CorruptStore when a line of the log is not `<group> <bytes>`.
   */
  static async open(path: string, tmpDir: string, limit: number): Promise<FileAddressLedger> {
    const used = new Map<string, number>();
    const { log } = await openAppendLog(path, tmpDir, (lines) => {
      for (const [group, n] of parseAddressLog(lines)) used.set(group, n);
      // Rewrite only when old lines far outweigh the groups, so starts stay cheap.
      if (lines.length <= 2 * used.size + 1024) return undefined;
      return [...used].map(([group, n]) => `${group} ${n}`);
    });
    return new FileAddressLedger(log, limit, used);
  }

  /** Bytes charged to the address group `group`. */
  async usedBy(group: string): Promise<number> {
    return this.#usedBy(group);
  }

  /**
   * Holds `bytes` of `group`'s budget while a write is stored, so concurrent
   * writes cannot together pass it; call the returned release when done,
   * whatever the outcome.
   * @throws ProtocolError AddressQuotaExceeded
   */
  async reserve(group: string, bytes: number): Promise<Release> {
    const pending = this.#pending.get(group) ?? 0;
    const used = this.#usedBy(group) + pending;
    if (this.#limit > 0 && used + bytes > this.#limit) {
      throw new ProtocolError(
        'AddressQuotaExceeded',
        `your network address has stored ${used} of its ${this.#limit} bytes on this hub; ` +
          `${bytes} more would pass its budget`,
      );
    }
    this.#pending.set(group, pending + bytes);
    let released = false;
    return async () => {
      if (released) return;
      released = true;
      const left = (this.#pending.get(group) ?? 0) - bytes;
      if (left > 0) this.#pending.set(group, left);
      else this.#pending.delete(group);
    };
  }

  /** Charges `group` for `bytes` (negative: a refund of an earlier charge); resolves once durable. */
  async charge(group: string, bytes: number): Promise<void> {
    if (bytes === 0) return;
    await this.#log.append(`${group} ${bytes}`);
    this.#used.set(group, this.#usedBy(group) + bytes);
  }

  close(): Promise<void> {
    return this.#log.close();
  }

  #usedBy(group: string): number {
    return this.#used.get(group) ?? 0;
  }
}
