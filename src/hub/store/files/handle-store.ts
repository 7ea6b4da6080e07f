/**
 * Handle claims: which pseudonym holds `name` on this hub. First claim wins;
 * the same author claiming again changes nothing. The file store keeps one
 * file per name (handles/<name>, the claim's signed bytes) written atomically,
 * and an in-memory index read at start. Names are [a-z0-9_.-] and never start
 * with a dot (isHandleName), so they are safe file names as they are.
 */
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { ProtocolError } from '../../../protocol/errors.ts';
import { type SignedHandleClaim, isHandleName } from '../../../protocol/handles.ts';
import type { HandleStore } from '../hub-store.ts';
import { makeDirDurably } from './durable-fs.ts';
import { DurableWriter } from './durable-writer.ts';
import { parseHandleFile } from './log-formats.ts';
import { KeyedLock } from '../../../runtime/keyed-lock.ts';

export class FileHandleStore implements HandleStore {
  readonly #dir: string;
  /** Claims of different names arriving together share their fsyncs (group commit). */
  readonly #writer: DurableWriter;
  readonly #claims: Map<string, SignedHandleClaim>;
  readonly #lock = new KeyedLock();

  private constructor(dir: string, tmpDir: string, claims: Map<string, SignedHandleClaim>) {
    this.#dir = dir;
    this.#writer = new DurableWriter(tmpDir);
    this.#claims = claims;
  }

  /** @throws CorruptStore when a claim file cannot be read as the claim of its name. */
  static async open(dir: string, tmpDir: string): Promise<FileHandleStore> {
    await makeDirDurably(dir);
    const claims = new Map<string, SignedHandleClaim>();
    for (const name of await readdir(dir)) {
      if (!isHandleName(name)) continue;
      claims.set(name, parseHandleFile(name, await readFile(join(dir, name))));
    }
    return new FileHandleStore(dir, tmpDir, claims);
  }

  async findClaim(name: string): Promise<SignedHandleClaim | undefined> {
    return this.#claims.get(name);
  }

  putClaim(signed: SignedHandleClaim): Promise<'created' | 'held'> {
    const { name, author } = signed.claim;
    return this.#lock.run(name, async () => {
      const held = this.#claims.get(name);
      if (held && held.claim.author !== author) throw new ProtocolError('HandleTaken', `${name} is taken on this hub`);
      if (held) return 'held';
      await this.#writer.write(join(this.#dir, name), signed.bytes);
      this.#claims.set(name, signed);
      return 'created';
    });
  }
}
