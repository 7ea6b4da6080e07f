/**
 * The pseudonym quota and the address budgets in memory (QuotaLedger,
 * AddressLedger: hub-store.ts): the file ledgers' rules without their logs.
 */
import { ProtocolError } from '../../../protocol/errors.ts';
import type { ObjectId, PseudonymId } from '../../../protocol/ids.ts';
import type { AddressLedger, QuotaLedger, Release } from '../hub-store.ts';

/** Bytes held per key while a write is stored; each hold is released once. */
class Holds {
  readonly #pending = new Map<string, number>();

  of(key: string): number {
    return this.#pending.get(key) ?? 0;
  }

  hold(key: string, bytes: number): Release {
    this.#pending.set(key, this.of(key) + bytes);
    let released = false;
    return async () => {
      if (released) return;
      released = true;
      const left = this.of(key) - bytes;
      if (left > 0) this.#pending.set(key, left);
      else this.#pending.delete(key);
    };
  }
}

export class MemoryQuotaLedger implements QuotaLedger {
  readonly #limit: number;
  readonly #used = new Map<string, number>();
  readonly #charged = new Set<string>();
  readonly #holds = new Holds();

  /** @param limit bytes per pseudonym; 0 means no limit. */
  constructor(limit: number) {
    this.#limit = limit;
  }

  async usedBy(author: PseudonymId): Promise<number> {
    return this.#usedBy(author);
  }

  async isCharged(id: ObjectId): Promise<boolean> {
    return this.#charged.has(id);
  }

  async reserve(author: PseudonymId, bytes: number): Promise<Release> {
    const used = this.#usedBy(author) + this.#holds.of(author);
    if (this.#limit > 0 && used + bytes > this.#limit) {
      const message =
        `this pseudonym has stored ${used} of its ${this.#limit} bytes; ` + `a ${bytes}-byte blob would pass the quota`;
      throw new ProtocolError('QuotaExceeded', message);
    }
    return this.#holds.hold(author, bytes);
  }

  async charge(author: PseudonymId, id: ObjectId, bytes: number): Promise<void> {
    if (this.#charged.has(id)) return;
    this.#charged.add(id);
    this.#used.set(author, this.#usedBy(author) + bytes);
  }

  #usedBy(author: PseudonymId): number {
    return this.#used.get(author) ?? 0;
  }
}

export class MemoryAddressLedger implements AddressLedger {
  readonly #limit: number;
  readonly #used = new Map<string, number>();
  readonly #holds = new Holds();

  /** @param limit bytes per address group; 0 means no limit. */
  constructor(limit: number) {
    this.#limit = limit;
  }

  async usedBy(group: string): Promise<number> {
    return this.#usedBy(group);
  }

  async reserve(group: string, bytes: number): Promise<Release> {
    const used = this.#usedBy(group) + this.#holds.of(group);
    if (this.#limit > 0 && used + bytes > this.#limit) {
      const message =
        `your network address has stored ${used} of its ${this.#limit} bytes on this hub; ` +
        `${bytes} more would pass its budget`;
      throw new ProtocolError('AddressQuotaExceeded', message);
    }
    return this.#holds.hold(group, bytes);
  }

  async charge(group: string, bytes: number): Promise<void> {
    if (bytes === 0) return;
    this.#used.set(group, this.#usedBy(group) + bytes);
  }

  #usedBy(group: string): number {
    return this.#used.get(group) ?? 0;
  }
}
