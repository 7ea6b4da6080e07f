/**
 * Inbox policies in the file store: one file per pseudonym
 * (inbox-policies/<id>, the policy's signed bytes), replaced atomically and
 * durably by a newer one, and an in-memory index read at start. Ids are 64
 * lowercase hex characters, safe file names as they are.
 */
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { type SignedInboxPolicy, decodeInboxPolicy } from '../../../protocol/inbox-policy.ts';
import type { PseudonymId } from '../../../protocol/ids.ts';
import { isLowerHex } from '../../../protocol/bytes.ts';
import { KeyedLock } from '../../../runtime/keyed-lock.ts';
import { policyOutcome } from '../record-rules.ts';
import { CorruptStore } from '../store-errors.ts';
import { makeDirDurably } from './durable-fs.ts';
import { DurableWriter } from './durable-writer.ts';

export class FilePolicies {
  readonly #dir: string;
  readonly #writer: DurableWriter;
  readonly #policies: Map<PseudonymId, SignedInboxPolicy>;
  readonly #lock = new KeyedLock();

  private constructor(dir: string, tmpDir: string, policies: Map<PseudonymId, SignedInboxPolicy>) {
    this.#dir = dir;
    this.#writer = new DurableWriter(tmpDir);
    this.#policies = policies;
  }

  /** @throws CorruptStore when a file cannot be read as the policy of the pseudonym it is named for. */
  static async open(dir: string, tmpDir: string): Promise<FilePolicies> {
    await makeDirDurably(dir);
    const policies = new Map<PseudonymId, SignedInboxPolicy>();
    for (const name of await readdir(dir)) {
      if (!isLowerHex(name, 32)) continue;
      policies.set(name as PseudonymId, parsePolicyFile(name, await readFile(join(dir, name))));
    }
    return new FilePolicies(dir, tmpDir, policies);
  }

  find(author: PseudonymId): SignedInboxPolicy | undefined {
    return this.#policies.get(author);
  }

  put(signed: SignedInboxPolicy): Promise<'created' | 'held'> {
    const { author } = signed.policy;
    return this.#lock.run(author, async () => {
      if (policyOutcome(this.#policies.get(author), signed) === 'held') return 'held';
      await this.#writer.write(join(this.#dir, author), signed.bytes);
      this.#policies.set(author, signed);
      return 'created';
    });
  }

  close(): Promise<void> {
    return this.#writer.close();
  }
}

function parsePolicyFile(name: string, bytes: Uint8Array): SignedInboxPolicy {
  let signed: SignedInboxPolicy;
  try {
    signed = decodeInboxPolicy(bytes);
  } catch (error) {
    throw new CorruptStore(`inbox-policies/${name}: not an inbox policy (${(error as Error).name})`, { cause: error });
  }
  if (signed.policy.author !== name)
    throw new CorruptStore(`inbox-policies/${name}: holds the policy of ${signed.policy.author}`);
  return signed;
}
