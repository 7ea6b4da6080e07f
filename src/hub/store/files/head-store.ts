/**
 * Heads and the change log in a file (HeadStore, hub-store.ts). A head is
 * taken only when strictly newer than the one held (isNewerHead), checked and
 * written under a per-author lock so two devices racing cannot both win.
 *
 * The file store keeps a single source of truth: heads.log, one line
 * `<change seq> <signed head bytes>` per accepted head (canonical bytes hold no
 * newline). The current head of each author is the last line naming it,
 * rebuilt in memory at start; so a head and its change can never disagree
 * after a crash, and a put costs one append + fsync. Lines superseded by a
 * later head of the same author are dropped now and then (at start), keeping
 * their seq numbers, so mirrors' cursors stay valid.
 */
import { fromUtf8 } from '../../../protocol/bytes.ts';
import { ProtocolError } from '../../../protocol/errors.ts';
import { type SignedHead, isNewerHead } from '../../../protocol/heads.ts';
import type { PseudonymId } from '../../../protocol/ids.ts';
import type { HeadChange, HeadStore } from '../hub-store.ts';
import { type AppendLog, openAppendLog } from './append-log.ts';
import { parseHeadsLog } from './log-formats.ts';
import { KeyedLock } from '../../../runtime/keyed-lock.ts';

export class FileHeadStore implements HeadStore {
  readonly #log: AppendLog;
  readonly #current = new Map<PseudonymId, HeadChange>();
  /** Every change since the last compaction, seq ascending; those no longer current are skipped on read. */
  #order: HeadChange[];
  #lastSeq: number;
  readonly #lock = new KeyedLock();
  readonly #listeners = new Set<(change: HeadChange) => void>();

  private constructor(log: AppendLog, changes: HeadChange[]) {
    this.#log = log;
    this.#order = changes;
    for (const c of changes) this.#current.set(c.signed.head.author, c);
    this.#lastSeq = changes.at(-1)?.seq ?? 0;
  }

  /** @throws CorruptStore when heads.log cannot be read whole. */
  static async open(path: string, tmpDir: string): Promise<FileHeadStore> {
    let changes: HeadChange[] = [];
    const { log } = await openAppendLog(path, tmpDir, (lines) => {
      changes = parseHeadsLog(lines);
      const live = latestOnly(changes);
      // Rewrite only when superseded lines outweigh live ones, so starts stay cheap.
      if (changes.length - live.length <= live.length + 1024) return undefined;
      changes = live;
      return live.map(formatLine);
    });
    return new FileHeadStore(log, latestOnly(changes));
  }

  async findHeads(authors: readonly PseudonymId[]): Promise<Map<PseudonymId, HeadChange>> {
    const found = new Map<PseudonymId, HeadChange>();
    for (const author of authors) {
      const change = this.#current.get(author);
      if (change) found.set(author, change);
    }
    return found;
  }

  putHead(signed: SignedHead): Promise<HeadChange> {
    const author = signed.head.author;
    return this.#lock.run(author, async () => {
      const held = this.#current.get(author)?.signed.head;
      if (!isNewerHead(signed.head, held)) {
        throw new ProtocolError(
          'StaleHead',
          `the hub holds seq ${held?.seq} for this author; send a head with a greater seq`,
          { current: held?.seq },
        );
      }
      const change: HeadChange = { seq: ++this.#lastSeq, signed };
      await this.#log.append(formatLine(change));
      this.#current.set(author, change);
      this.#order.push(change);
      if (this.#order.length > 2 * this.#current.size + 1024) this.#order = latestOnly(this.#order);
      for (const listener of this.#listeners) {
        // The head is stored and acknowledged whatever a listener does; its failure is only reported.
        try {
          listener(change);
        } catch (error) {
          console.error('head listener failed', error);
        }
      }
      return change;
    });
  }

  async listChanges({
    since,
    limit,
  }: {
    since: number;
    limit: number;
  }): Promise<{ changes: HeadChange[]; next: number }> {
    const changes: HeadChange[] = [];
    for (let i = firstAfter(this.#order, since); i < this.#order.length && changes.length < limit; i++) {
      const change = this.#order[i]!;
      if (this.#current.get(change.signed.head.author) === change) changes.push(change);
    }
    return { changes, next: changes.at(-1)?.seq ?? since };
  }

  async lastSeq(): Promise<number> {
    return this.#lastSeq;
  }

  subscribe(listener: (change: HeadChange) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  async close(): Promise<void> {
    this.#listeners.clear();
    await this.#log.close();
  }
}

function formatLine(change: HeadChange): string {
  return `${change.seq} ${fromUtf8(change.signed.bytes)}`;
}

/** The last change of each author, in seq order. */
function latestOnly(changes: readonly HeadChange[]): HeadChange[] {
  const last = new Map<PseudonymId, HeadChange>();
  for (const c of changes) last.set(c.signed.head.author, c);
  return changes.filter((c) => last.get(c.signed.head.author) === c);
}

/** Index of the first change with seq > since (binary search: seqs ascend). */
function firstAfter(changes: readonly HeadChange[], since: number): number {
  let lo = 0;
  let hi = changes.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (changes[mid]!.seq <= since) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
