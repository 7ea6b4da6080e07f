/**
 * Handle claims: which pseudonym holds `name` on this hub. First claim wins;
 * the same author claiming again changes nothing. The file store keeps one
 * file per name (handles/<name>, the claim's signed bytes) written atomically,
 * and an in-memory index read at start. Names are [a-z0-9_.-] and never start
 * with a dot (isHandleName), so they are safe file names as they are, and
 * handles/.retired/<id> (a name no claim can have) holds each retirement:
 * written before the retired pseudonym's claim files are removed, so a crash
 * between leaves the tombstone, and the next open removes what it released.
 */
import { readFile, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { isLowerHex } from '../../../protocol/bytes.ts';
import { ProtocolError } from '../../../protocol/errors.ts';
import { type SignedHandleClaim, isHandleName } from '../../../protocol/handles.ts';
import type { PseudonymId } from '../../../protocol/ids.ts';
import { type SignedRetirement, decodeRetirement } from '../../../protocol/retirement.ts';
import type { HandleStore } from '../hub-store.ts';
import { retiredError } from '../record-rules.ts';
import { CorruptStore } from '../store-errors.ts';
import { fsyncDir, makeDirDurably } from './durable-fs.ts';
import { DurableWriter } from './durable-writer.ts';
import { parseHandleFile } from './log-formats.ts';
import { KeyedLock } from '../../../runtime/keyed-lock.ts';

const RETIRED = '.retired';

export class FileHandleStore implements HandleStore {
  readonly #dir: string;
  /** Claims of different names arriving together share their fsyncs (group commit). */
  readonly #writer: DurableWriter;
  readonly #claims: Map<string, SignedHandleClaim>;
  readonly #retired: Map<PseudonymId, SignedRetirement>;
  /** Retirements being written: a claim by their author is refused from the moment one begins. */
  readonly #retiring = new Set<PseudonymId>();
  readonly #lock = new KeyedLock();

  private constructor(
    dir: string,
    tmpDir: string,
    claims: Map<string, SignedHandleClaim>,
    retired: Map<PseudonymId, SignedRetirement>,
  ) {
    this.#dir = dir;
    this.#writer = new DurableWriter(tmpDir);
    this.#claims = claims;
    this.#retired = retired;
  }

  /** @throws CorruptStore when a claim file cannot be read as the claim of its name, or a tombstone as its own. */
  static async open(dir: string, tmpDir: string): Promise<FileHandleStore> {
    await makeDirDurably(dir);
    await makeDirDurably(join(dir, RETIRED));
    const retired = new Map<PseudonymId, SignedRetirement>();
    for (const id of await readdir(join(dir, RETIRED))) {
      if (isLowerHex(id, 32))
        retired.set(id as PseudonymId, parseRetirementFile(id, await readFile(join(dir, RETIRED, id))));
    }
    const claims = new Map<string, SignedHandleClaim>();
    for (const name of await readdir(dir)) {
      if (!isHandleName(name)) continue;
      const claim = parseHandleFile(name, await readFile(join(dir, name)));
      // A retirement interrupted after its tombstone: finish releasing the name.
      if (retired.has(claim.claim.author)) await rm(join(dir, name), { force: true });
      else claims.set(name, claim);
    }
    return new FileHandleStore(dir, tmpDir, claims, retired);
  }

  async findClaim(name: string): Promise<SignedHandleClaim | undefined> {
    return this.#claims.get(name);
  }

  async findRetirement(author: PseudonymId): Promise<SignedRetirement | undefined> {
    return this.#retired.get(author);
  }

  putClaim(signed: SignedHandleClaim): Promise<'created' | 'held'> {
    const { name, author } = signed.claim;
    return this.#lock.run(name, async () => {
      if (this.#isRetired(author)) throw retiredError();
      const held = this.#claims.get(name);
      if (held && held.claim.author !== author) throw new ProtocolError('HandleTaken', `${name} is taken on this hub`);
      if (held) return 'held';
      await this.#writer.write(join(this.#dir, name), signed.bytes);
      if (this.#isRetired(author)) {
        // Its author retired while the file was written: the name is released, as retire() releases the others.
        await this.#release(name);
        throw retiredError();
      }
      this.#claims.set(name, signed);
      return 'created';
    });
  }

  async retire(signed: SignedRetirement): Promise<'created' | 'held'> {
    const { author } = signed.retirement;
    if (this.#isRetired(author)) return 'held';
    this.#retiring.add(author);
    try {
      await this.#writer.write(join(this.#dir, RETIRED, author), signed.bytes);
      this.#retired.set(author, signed);
    } finally {
      this.#retiring.delete(author);
    }
    const names = [...this.#claims].filter(([, c]) => c.claim.author === author).map(([name]) => name);
    for (const name of names) await this.#lock.run(name, () => this.#release(name));
    return 'created';
  }

  #isRetired(author: PseudonymId): boolean {
    return this.#retired.has(author) || this.#retiring.has(author);
  }

  async #release(name: string): Promise<void> {
    await rm(join(this.#dir, name), { force: true });
    await fsyncDir(this.#dir);
    this.#claims.delete(name);
  }
}

function parseRetirementFile(id: string, bytes: Uint8Array): SignedRetirement {
  let signed: SignedRetirement;
  try {
    signed = decodeRetirement(bytes);
  } catch (error) {
    throw new CorruptStore(`handles/${RETIRED}/${id}: not a retirement (${(error as Error).name})`, { cause: error });
  }
  if (signed.retirement.author !== id)
    throw new CorruptStore(`handles/${RETIRED}/${id}: holds the retirement of ${signed.retirement.author}`);
  return signed;
}
