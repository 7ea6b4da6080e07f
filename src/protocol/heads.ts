/**
 * Heads: `{type, author, heads, seq, ts}` signed by author: a feed's current
 * tips. A hub keeps one per author and takes a new one only when its seq is
 * strictly greater (see isNewerHead), so concurrent devices converge by
 * merging rather than overwriting.
 */
import { ProtocolError } from './errors.ts';
import { readArray, readObjectId, readPseudonymId, readSeqOrTs, requireKeys } from './fields.ts';
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
}

export interface SignedHead {
  readonly head: Head;
  readonly sig: string;
  readonly bytes: Uint8Array;
  readonly signed: SignedRecord;
}

/** The JSON form of a signed head on the wire: the head's fields plus sig. */
export type HeadJson = Head & { readonly sig: string };

/** @throws ProtocolError as decodeHead. */
export function buildHead(
  secretKey: SecretKey,
  fields: { heads: readonly CommitId[]; seq: number; ts: number; log?: ObjectId },
): SignedHead {
  const unsigned = {
    type: 'head',
    author: pseudonymOf(secretKey),
    heads: [...new Set(fields.heads)].sort(),
    seq: fields.seq,
    ts: fields.ts,
    ...(fields.log && { log: fields.log }),
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
  requireKeys(fields, ['type', 'author', 'heads', 'seq', 'ts', 'log'], 'head');
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
  };
  return { head, sig, bytes, signed };
}

export function verifyHead(signed: SignedHead, verify: Verify): Promise<boolean> {
  return verifySigned(signed.signed, signed.head.author, verify);
}

/** A hub replaces `current` with `next` only when next is strictly newer. */
export function isNewerHead(next: Head, current: Head | undefined): boolean {
  return current === undefined || next.seq > current.seq;
}

export function headToJson(signed: SignedHead): HeadJson {
  return { ...signed.head, sig: signed.sig };
}
