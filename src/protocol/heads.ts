/**
 * Heads: `{type, author, heads, seq, ts, log?, agent?}` signed by author, or by
 * an agent under the author's delegation (`agent: {id, delegation}`): a
 * feed's current tips. A hub keeps one per author and takes a new one only
 * when its seq is strictly greater (see isNewerHead), so concurrent devices
 * converge by merging rather than overwriting.
 */
import { type SignedDelegation, checkDelegation, decodeDelegation } from './agents.ts';
import { ProtocolError } from './errors.ts';
import { invalid, readArray, readObjectId, readPseudonymId, readSeqOrTs, requireKeys } from './fields.ts';
import { type CommitId, type ObjectId, type PseudonymId, isObjectId } from './ids.ts';
import { type SecretKey, type Verify, pseudonymOf } from './keys.ts';
import { LIMITS } from './limits.ts';
import { type Fields, type SignedRecord, buildSigned, decodeSigned, verifySigned } from './signed.ts';

export interface Head {
  readonly type: 'head';
  readonly author: PseudonymId;
  /** The tips: sorted, distinct, at least one. */
  readonly heads: readonly CommitId[];
  /** The greatest seq among the tips. */
  readonly seq: number;
  readonly ts: number;
  /** The newest feed log (feed-log.ts), when the writer keeps one. */
  readonly log?: ObjectId;
  /** Set when an agent signed the head with its own key, under the author's delegation. */
  readonly agent?: HeadAgent;
}

/** The agent that signed a head, and the author's delegation that lets it. */
export interface HeadAgent {
  readonly id: PseudonymId;
  readonly delegation: SignedDelegation;
}

export interface SignedHead {
  readonly head: Head;
  readonly sig: string;
  readonly bytes: Uint8Array;
  readonly signed: SignedRecord;
}

/** The JSON form of a signed head on the wire: the head's fields plus sig. */
export type HeadJson = Head & { readonly sig: string };

/**
 * @param secretKey the author's key, or the agent's when `agent` is given (the author is then the delegation's owner).
 * @throws ProtocolError as decodeHead.
 */
export function buildHead(
  secretKey: SecretKey,
  fields: { heads: readonly CommitId[]; seq: number; ts: number; log?: ObjectId; agent?: HeadAgent },
): SignedHead {
  const unsigned = {
    type: 'head',
    author: fields.agent?.delegation.owner ?? pseudonymOf(secretKey),
    heads: [...new Set(fields.heads)].sort(),
    seq: fields.seq,
    ts: fields.ts,
    ...(fields.log && { log: fields.log }),
    ...(fields.agent && { agent: { id: fields.agent.id, delegation: fields.agent.delegation } }),
  } as unknown as Fields;
  return decodeHead(buildSigned(unsigned, secretKey).bytes);
}

/**
 * @throws ProtocolError TooLarge, DecodeError, NonCanonical,
 * InvalidField, MalformedId, BadSeq (seq or ts over MAX_SEQ / MAX_TS)
 */
export function decodeHead(bytes: Uint8Array): SignedHead {
  if (bytes.length > LIMITS.headBytes)
    throw new ProtocolError('TooLarge', `head is ${bytes.length} bytes; the limit is ${LIMITS.headBytes}`);
  const signed = decodeSigned(bytes, 'head');
  const { fields, sig } = signed;
  requireKeys(fields, ['type', 'author', 'heads', 'seq', 'ts', 'log', 'agent'], 'head');
  const log = readObjectId(fields, 'log', true);
  const heads = readArray(fields, 'heads', LIMITS.headsPerHead)!;
  if (heads.length === 0) throw new ProtocolError('InvalidField', 'heads: at least one tip', { field: 'heads' });
  heads.forEach((h, i) => {
    if (!isObjectId(h)) throw new ProtocolError('MalformedId', `heads[${i}]: expected a commit id`, { field: 'heads' });
    if (i > 0 && (heads[i - 1] as string) >= h)
      throw new ProtocolError('InvalidField', 'heads must be sorted and distinct', { field: 'heads' });
  });
  const head: Head = {
    type: 'head',
    author: readPseudonymId(fields, 'author'),
    heads: heads as CommitId[],
    seq: readSeqOrTs(fields, 'seq', 1),
    ts: readSeqOrTs(fields, 'ts', 0),
    ...(log && { log }),
    ...(fields.agent !== undefined && { agent: decodeHeadAgent(fields.agent) }),
  };
  return { head, sig, bytes, signed };
}

function decodeHeadAgent(raw: Fields[string]): HeadAgent {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw invalid('agent', 'expected an object');
  requireKeys(raw, ['id', 'delegation'], 'head.agent');
  return { id: readPseudonymId(raw, 'id'), delegation: decodeDelegation(raw.delegation!, 'head.agent.delegation') };
}

/** True when the head is signed by its author, or by an agent under the author's delegation valid at head.ts. */
export async function verifyHead(signed: SignedHead, verify: Verify): Promise<boolean> {
  try {
    await checkHeadSignature(signed, verify);
    return true;
  } catch (error) {
    if (error instanceof ProtocolError) return false;
    throw error;
  }
}

/**
 * verifyHead, saying why not.
 * @throws ProtocolError BadSignature, BadDelegation, DelegationExpired
 */
export async function checkHeadSignature(signed: SignedHead, verify: Verify): Promise<void> {
  const { author, agent, ts } = signed.head;
  if (agent) await checkDelegation(agent.delegation, { owner: author, agent: agent.id, ts }, verify);
  if (!(await verifySigned(signed.signed, agent?.id ?? author, verify)))
    throw new ProtocolError('BadSignature', `the head is not signed by ${agent ? 'its agent' : 'its author'}`);
}

/** A hub replaces `current` with `next` only when next is strictly newer. */
export function isNewerHead(next: Head, current: Head | undefined): boolean {
  return current === undefined || next.seq > current.seq;
}

export function headToJson(signed: SignedHead): HeadJson {
  return { ...signed.head, sig: signed.sig };
}
