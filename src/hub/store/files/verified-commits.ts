/**
 * Commits this hub has itself verified while mirroring, with all their
 * ancestors verified and held too. A mirror's DAG walk stops at these, and
 * only these: a commit merely held (any pseudonym may upload any blob) is
 * verified like one fetched. Kept as an append log, mirror/verified.log, one
 * line of space-separated commit ids per mirrored head, durable before that
 * head is stored; read into memory at start.
 */
import type { CommitId } from '../../../protocol/ids.ts';
import type { VerifiedCommits } from '../hub-store.ts';
import { type AppendLog, openAppendLog } from './append-log.ts';
import { parseVerifiedLog } from './log-formats.ts';

export class FileVerifiedCommits implements VerifiedCommits {
  readonly #log: AppendLog;
  readonly #ids: Set<string>;

  private constructor(log: AppendLog, ids: Set<string>) {
    this.#log = log;
    this.#ids = ids;
  }

  static async open(path: string, tmpDir: string): Promise<FileVerifiedCommits> {
    let ids = new Set<CommitId>();
    const { log } = await openAppendLog(path, tmpDir, (lines) => {
      ids = parseVerifiedLog(lines);
      return undefined;
    });
    return new FileVerifiedCommits(log, ids);
  }

  async has(id: CommitId): Promise<boolean> {
    return this.#ids.has(id);
  }

  /** Records commits verified with their whole ancestry; resolves once durable. */
  async add(ids: readonly CommitId[]): Promise<void> {
    const fresh = ids.filter((id) => !this.#ids.has(id));
    if (fresh.length === 0) return;
    await this.#log.append(fresh.join(' '));
    for (const id of fresh) this.#ids.add(id);
  }

  close(): Promise<void> {
    return this.#log.close();
  }
}
