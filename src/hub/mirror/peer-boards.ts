/**
 * The boards a mirror copies from one peer (mirror/boards.ts). The peer's
 * policy of each author met in its log (asked once per author and process)
 * tells which feeds have boards, and the boards held here (opened here too,
 * or mirrored before a restart) are asked about as well. Each board is swept
 * from its own durable cursor on the first pull, after each poll, and after
 * a pull that mirrored heads, then again after each follow-up wait: a member
 * announces a post just after pushing it, so its notice lands on the peer a
 * moment after the head that woke the pull.
 */
import { ProtocolError } from '../../protocol/errors.ts';
import type { PseudonymId } from '../../protocol/ids.ts';
import type { Verify } from '../../protocol/keys.ts';
import type { InboxStore, MirrorCursor } from '../store/hub-store.ts';
import { mirrorBoardPolicy, sweepBoard } from './boards.ts';
import type { PeerClient } from './peer-client.ts';

/** Authors whose policy was asked of the peer are remembered up to this many, then asked again. */
const MAX_ASKED = 1_000_000;

export interface PeerBoardsDeps {
  readonly inbox: InboxStore;
  readonly openCursor: (board: PseudonymId) => Promise<MirrorCursor>;
  readonly verify: Verify;
  readonly now: () => number;
  readonly timing: { readonly boardFollowUpsMs?: readonly number[] };
  /** The peer's client now (a dropped peer gets a fresh one). */
  readonly client: () => PeerClient;
  /** Reads the peer again (a pull, whose end sweeps the boards when due). */
  readonly wake: () => void;
  readonly refuse: (author: string, error: ProtocolError, what: string) => void;
  readonly note: (event: string, fields: Record<string, unknown>) => void;
}

export class PeerBoards {
  readonly #deps: PeerBoardsDeps;
  /** The boards the peer holds, and the authors whose policy it was asked for. */
  readonly #boards = new Set<PseudonymId>();
  readonly #asked = new Set<PseudonymId>();
  readonly #cursors = new Map<PseudonymId, MirrorCursor>();
  #due = true;
  #timers: NodeJS.Timeout[] = [];

  constructor(deps: PeerBoardsDeps) {
    this.#deps = deps;
  }

  /** The next pull sweeps the boards. */
  due(): void {
    this.#due = true;
  }

  /** Sweeps at the end of this pull, and again after each follow-up wait (replacing the waits of an earlier call). */
  soon(): void {
    this.#due = true;
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers = (this.#deps.timing.boardFollowUpsMs ?? []).map((ms) =>
      setTimeout(() => {
        this.#due = true;
        this.#deps.wake();
      }, ms),
    );
  }

  stop(): void {
    for (const timer of this.#timers) clearTimeout(timer);
  }

  /**
   * Asks the peer for `author`'s policy once (per process), keeping it here when it is a board.
   * @throws PeerError (the peer unreachable or breaking a bound); what the store throws
   */
  async learn(author: PseudonymId): Promise<void> {
    if (this.#asked.has(author)) return;
    const bytes = await this.#deps.client().inboxPolicy(author);
    if (this.#asked.size >= MAX_ASKED) this.#asked.clear();
    this.#asked.add(author);
    try {
      if (await mirrorBoardPolicy(author, bytes, this.#deps)) this.#boards.add(author);
    } catch (error) {
      if (!(error instanceof ProtocolError)) throw error;
      this.#deps.refuse(author, error, 'inbox policy');
    }
  }

  /**
   * Copies what is new on each board the peer holds, when due.
   * @throws PeerError; what the store throws (each board's cursor stays where it was: the next sweep redoes it)
   */
  async sweepIfDue(): Promise<void> {
    if (!this.#due) return;
    this.#due = false;
    try {
      for (const board of await this.#deps.inbox.listBoards()) await this.learn(board);
      for (const board of this.#boards) await this.#sweep(board);
    } catch (error) {
      this.#due = true;
      throw error;
    }
  }

  async #sweep(board: PseudonymId): Promise<void> {
    const cursor = await this.#cursor(board);
    const from = cursor.value > 0 ? String(cursor.value) : undefined;
    const swept = await sweepBoard(board, from, (at) => this.#deps.client().board(board, at), this.#deps);
    // The peer's cursor is untrusted: one that is not a greater seq is not kept (the next sweep starts as this one).
    const next = Number(swept.cursor);
    if (Number.isSafeInteger(next) && next > cursor.value) await cursor.save(next);
    if (swept.stored > 0) this.#deps.note('board', { board, stored: swept.stored });
    for (const error of swept.refused) this.#deps.refuse(board, error, 'notice');
  }

  async #cursor(board: PseudonymId): Promise<MirrorCursor> {
    let cursor = this.#cursors.get(board);
    if (!cursor) {
      cursor = await this.#deps.openCursor(board);
      this.#cursors.set(board, cursor);
    }
    return cursor;
  }
}
