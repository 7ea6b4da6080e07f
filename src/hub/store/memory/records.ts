/**
 * Handle claims and inboxes in memory (HandleStore, InboxStore: hub-store.ts).
 * Each put checks and writes in one synchronous step, so the first claim wins
 * a race and a notice is listed the moment it has its seq.
 */
import { ProtocolError } from '../../../protocol/errors.ts';
import type { SignedHandleClaim } from '../../../protocol/handles.ts';
import type { PseudonymId } from '../../../protocol/ids.ts';
import type { SignedInboxPolicy } from '../../../protocol/inbox-policy.ts';
import type { SignedNotice } from '../../../protocol/notices.ts';
import type { SignedRetirement } from '../../../protocol/retirement.ts';
import type { HandleStore, InboxStore, StoredNotice } from '../hub-store.ts';
import { policyOutcome, retiredError } from '../record-rules.ts';

export class MemoryHandleStore implements HandleStore {
  readonly #claims = new Map<string, SignedHandleClaim>();
  readonly #retired = new Map<PseudonymId, SignedRetirement>();

  async findClaim(name: string): Promise<SignedHandleClaim | undefined> {
    return this.#claims.get(name);
  }

  async findRetirement(author: PseudonymId): Promise<SignedRetirement | undefined> {
    return this.#retired.get(author);
  }

  async retire(signed: SignedRetirement): Promise<'created' | 'held'> {
    const { author } = signed.retirement;
    if (this.#retired.has(author)) return 'held';
    this.#retired.set(author, signed);
    for (const [name, claim] of this.#claims) if (claim.claim.author === author) this.#claims.delete(name);
    return 'created';
  }

  async putClaim(signed: SignedHandleClaim): Promise<'created' | 'held'> {
    const { name, author } = signed.claim;
    if (this.#retired.has(author)) throw retiredError();
    const held = this.#claims.get(name);
    if (held && held.claim.author !== author) throw new ProtocolError('HandleTaken', `${name} is taken on this hub`);
    if (held) return 'held';
    this.#claims.set(name, signed);
    return 'created';
  }
}

export class MemoryInboxStore implements InboxStore {
  readonly #byRecipient = new Map<PseudonymId, StoredNotice[]>();
  /** The notices held, by their bytes (the same notice sent twice is kept once). */
  readonly #held = new Set<string>();
  readonly #policies = new Map<PseudonymId, SignedInboxPolicy>();
  #lastSeq = 0;

  async findPolicy(author: PseudonymId): Promise<SignedInboxPolicy | undefined> {
    return this.#policies.get(author);
  }

  async listBoards(): Promise<PseudonymId[]> {
    return [...this.#policies.values()].filter((p) => p.policy.mode === 'board').map((p) => p.policy.author);
  }

  async putPolicy(signed: SignedInboxPolicy): Promise<'created' | 'held'> {
    if (policyOutcome(this.#policies.get(signed.policy.author), signed) === 'held') return 'held';
    this.#policies.set(signed.policy.author, signed);
    return 'created';
  }

  async putNotice(signed: SignedNotice): Promise<'created' | 'held'> {
    const key = Buffer.from(signed.bytes).toString('base64');
    if (this.#held.has(key)) return 'held';
    this.#held.add(key);
    const stored: StoredNotice = { seq: ++this.#lastSeq, signed };
    const list = this.#byRecipient.get(signed.notice.to);
    if (list) list.push(stored);
    else this.#byRecipient.set(signed.notice.to, [stored]);
    return 'created';
  }

  async listNotices(to: PseudonymId, { cursor, limit }: { cursor: number; limit: number }): Promise<StoredNotice[]> {
    return (this.#byRecipient.get(to) ?? []).filter((n) => n.seq > cursor).slice(0, limit);
  }
}
