/**
 * Messages a pseudonym sent, kept in its private document so that its other
 * devices show them too: a DM is sealed to the recipient's key, so no other
 * device of the sender can read the copy on the recipient's hub. The private
 * document travels sealed (private-seal.ts), like drafts.
 *
 * `sentMessages`: Y.Map of DM blob id -> { peer, body, ts } (each entry is
 * written once and never changed, so a plain value is enough).
 */
import type * as Y from 'yjs';
import { DM_LIMITS } from '../../src/protocol/dm.ts';
import { type ObjectId, type PseudonymId, isObjectId, isPseudonymId } from '../../src/protocol/ids.ts';

export interface SentMessage {
  readonly id: ObjectId;
  readonly peer: PseudonymId;
  readonly body: string;
  readonly ts: number;
}

const SENT = 'sentMessages';

/** Records a message this device sealed and queued (call inside a transaction). */
export function recordSent(doc: Y.Doc, message: SentMessage): void {
  const map = doc.getMap<unknown>(SENT);
  if (!map.has(message.id)) map.set(message.id, { peer: message.peer, body: message.body, ts: message.ts });
}

/** Every well-formed entry; anything else (another version's, a damaged one) is left out, not trusted. */
export function sentOf(doc: Y.Doc): SentMessage[] {
  const out: SentMessage[] = [];
  doc.getMap<unknown>(SENT).forEach((value, id) => {
    const { peer, body, ts } = (value ?? {}) as Partial<Record<keyof SentMessage, unknown>>;
    if (!isObjectId(id) || !isPseudonymId(peer) || typeof ts !== 'number' || !Number.isSafeInteger(ts)) return;
    if (typeof body !== 'string' || !body.isWellFormed() || body.length > DM_LIMITS.bodyChars * 2) return;
    out.push({ id, peer, body, ts });
  });
  return out;
}
