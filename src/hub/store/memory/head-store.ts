/**
 * Heads and the change log in memory (HeadStore, hub-store.ts). The check
 * and the write of a head happen in one synchronous step, so racing puts
 * cannot both pass isNewerHead; listeners are called once the head is
 * readable.
 */
import { ProtocolError } from '../../../protocol/errors.ts';
import { type SignedHead, isNewerHead } from '../../../protocol/heads.ts';
import type { PseudonymId } from '../../../protocol/ids.ts';
import type { HeadChange, HeadStore } from '../hub-store.ts';

export class MemoryHeadStore implements HeadStore {
  readonly #current = new Map<PseudonymId, HeadChange>();
  /** Every change, seq ascending; those no longer current are skipped on read. */
  readonly #order: HeadChange[] = [];
  readonly #listeners = new Set<(change: HeadChange) => void>();

  async findHeads(authors: readonly PseudonymId[]): Promise<Map<PseudonymId, HeadChange>> {
    const found = new Map<PseudonymId, HeadChange>();
    for (const author of authors) {
      const change = this.#current.get(author);
      if (change) found.set(author, change);
    }
    return found;
  }

  async putHead(signed: SignedHead): Promise<HeadChange> {
    const author = signed.head.author;
    const held = this.#current.get(author)?.signed.head;
    if (!isNewerHead(signed.head, held)) {
      const message = `the hub holds seq ${held?.seq} for this author; send a head with a greater seq`;
      throw new ProtocolError('StaleHead', message, { current: held?.seq });
    }
    const change: HeadChange = { seq: (this.#order.at(-1)?.seq ?? 0) + 1, signed };
    this.#current.set(author, change);
    this.#order.push(change);
    for (const listener of this.#listeners) {
      // As the file store: the head is stored whatever a listener does; its failure is only reported.
      try {
        listener(change);
      } catch (error) {
        console.error('head listener failed', error);
      }
    }
    return change;
  }

  async listChanges({ since, limit }: { since: number; limit: number }): ReturnType<HeadStore['listChanges']> {
    const changes: HeadChange[] = [];
    for (const change of this.#order) {
      if (changes.length >= limit) break;
      if (change.seq > since && this.#current.get(change.signed.head.author) === change) changes.push(change);
    }
    return { changes, next: changes.at(-1)?.seq ?? since };
  }

  async lastSeq(): Promise<number> {
    return this.#order.at(-1)?.seq ?? 0;
  }

  subscribe(listener: (change: HeadChange) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  close(): void {
    this.#listeners.clear();
  }
}
