/**
 * Inboxes: signed notices kept for their recipient, in arrival order. The
 * file store is one append log, inbox.log, a line `<seq> <notice bytes>` per
 * notice (canonical bytes hold no newline), durable before the notice is
 * acknowledged; an in-memory index per recipient is rebuilt at start. The
 * same notice sent twice is kept once. Notices are small (2 KiB at most) and
 * rate limited per sender, so the index stays modest; nothing is expired yet.
 * Inbox policies are files of their own (record-files.ts).
 */
import { fromUtf8 } from '../../../protocol/bytes.ts';
import type { PseudonymId } from '../../../protocol/ids.ts';
import { type SignedInboxPolicy, decodeInboxPolicy } from '../../../protocol/inbox-policy.ts';
import type { SignedNotice } from '../../../protocol/notices.ts';
import type { InboxStore, StoredNotice } from '../hub-store.ts';
import { type AppendLog, openAppendLog } from './append-log.ts';
import { parseInboxLog } from './log-formats.ts';
import { FileRecords } from './record-files.ts';
import { policyOutcome } from '../record-rules.ts';
import { sha256Base64Node } from '../../../runtime/sha256-node.ts';

const POLICY_FILES = {
  folder: 'inbox-policies',
  what: 'an inbox policy',
  decode: decodeInboxPolicy,
  authorOf: (p: SignedInboxPolicy) => p.policy.author,
  bytesOf: (p: SignedInboxPolicy) => p.bytes,
  outcome: policyOutcome,
};

function keyOf(bytes: Uint8Array): string {
  return sha256Base64Node(bytes);
}

export class FileInboxStore implements InboxStore {
  readonly #log: AppendLog;
  readonly #policies: FileRecords<SignedInboxPolicy>;
  readonly #byRecipient = new Map<PseudonymId, StoredNotice[]>();
  /** Each notice held, or being made durable, by the hash of its bytes. */
  readonly #held = new Map<string, Promise<void>>();
  #lastSeq = 0;

  private constructor(log: AppendLog, policies: FileRecords<SignedInboxPolicy>) {
    this.#log = log;
    this.#policies = policies;
  }

  /** @throws CorruptStore when inbox.log cannot be read whole, or a policy file is not its pseudonym's policy. */
  static async open(path: string, policyDir: string, tmpDir: string): Promise<FileInboxStore> {
    const policies = await FileRecords.open(policyDir, tmpDir, POLICY_FILES);
    let notices: StoredNotice[] = [];
    const { log } = await openAppendLog(path, tmpDir, (lines) => {
      notices = parseInboxLog(lines);
      return undefined;
    });
    const store = new FileInboxStore(log, policies);
    for (const stored of notices) {
      store.#lastSeq = stored.seq;
      store.#held.set(keyOf(stored.signed.bytes), Promise.resolve());
      store.#index(stored);
    }
    return store;
  }

  async putNotice(signed: SignedNotice): Promise<'created' | 'held'> {
    const key = keyOf(signed.bytes);
    const held = this.#held.get(key);
    if (held) {
      // The same notice is still being written: its answer waits until it is durable too.
      await held;
      return 'held';
    }
    const stored: StoredNotice = { seq: ++this.#lastSeq, signed };
    const durable = this.#log.append(`${stored.seq} ${fromUtf8(signed.bytes)}`);
    this.#held.set(key, durable);
    try {
      await durable;
    } catch (error) {
      this.#held.delete(key);
      throw error;
    }
    this.#index(stored);
    return 'created';
  }

  async listNotices(to: PseudonymId, { cursor, limit }: { cursor: number; limit: number }): Promise<StoredNotice[]> {
    const all = this.#byRecipient.get(to) ?? [];
    let lo = 0;
    let hi = all.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (all[mid]!.seq <= cursor) lo = mid + 1;
      else hi = mid;
    }
    return all.slice(lo, lo + limit);
  }

  async findPolicy(author: PseudonymId): Promise<SignedInboxPolicy | undefined> {
    return this.#policies.find(author);
  }

  putPolicy(signed: SignedInboxPolicy): Promise<'created' | 'held'> {
    return this.#policies.put(signed);
  }

  async listBoards(): Promise<PseudonymId[]> {
    return [...this.#policies.all()].filter((p) => p.policy.mode === 'board').map((p) => p.policy.author);
  }

  async close(): Promise<void> {
    await Promise.all([this.#log.close(), this.#policies.close()]);
  }

  /** Appends resolve in log order, so notices arrive here in seq order; the check keeps the list sorted if not. */
  #index(stored: StoredNotice): void {
    const to = stored.signed.notice.to;
    const list = this.#byRecipient.get(to);
    if (!list) return void this.#byRecipient.set(to, [stored]);
    list.push(stored);
    if (list.length > 1 && list[list.length - 2]!.seq > stored.seq) list.sort((a, b) => a.seq - b.seq);
  }
}
