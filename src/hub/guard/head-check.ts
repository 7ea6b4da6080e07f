/**
 * The checks a head passes before any store sees it, whether a client PUT it
 * or a mirrored peer listed it: signed by the author it names, and not dated
 * further ahead than clocks drift. (Newness is the head store's own rule.)
 */
import { ProtocolError } from '../../protocol/errors.ts';
import { type SignedHead, verifyHead } from '../../protocol/heads.ts';
import type { PseudonymId } from '../../protocol/ids.ts';
import type { Verify } from '../../protocol/keys.ts';
import { LIMITS } from '../../protocol/limits.ts';

/** @throws ProtocolError WrongAuthor, BadSignature, FutureTimestamp */
export async function checkHead(signed: SignedHead, author: PseudonymId, verify: Verify, now: number): Promise<void> {
  if (signed.head.author !== author)
    throw new ProtocolError('WrongAuthor', `the head is signed for ${signed.head.author}, not ${author}`);
  if (!(await verifyHead(signed, verify)))
    throw new ProtocolError('BadSignature', 'the head signature does not verify');
  const ahead = signed.head.ts - now;
  if (ahead > LIMITS.futureSkewMs)
    throw new ProtocolError('FutureTimestamp', `the head is dated ${ahead} ms ahead of the hub's clock`);
}
