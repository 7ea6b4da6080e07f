/**
 * The checks a head passes before any store sees it, whether a client PUT it
 * or a mirrored peer listed it: signed by the author it names (or by an agent
 * under the author's delegation, valid at the head's time), and not dated
 * further ahead than clocks drift. (Newness is the head store's own rule; a
 * revocation is social, so readers, not the hub, apply it.)
 */
import { ProtocolError } from '../../protocol/errors.ts';
import { type SignedHead, checkHeadSignature } from '../../protocol/heads.ts';
import type { PseudonymId } from '../../protocol/ids.ts';
import type { Verify } from '../../protocol/keys.ts';
import { LIMITS } from '../../protocol/limits.ts';

/** @throws ProtocolError WrongAuthor, BadSignature, BadDelegation, DelegationExpired, FutureTimestamp */
export async function checkHead(signed: SignedHead, author: PseudonymId, verify: Verify, now: number): Promise<void> {
  if (signed.head.author !== author)
    throw new ProtocolError('WrongAuthor', `the head is signed for ${signed.head.author}, not ${author}`);
  await checkHeadSignature(signed, verify);
  const ahead = signed.head.ts - now;
  if (ahead > LIMITS.futureSkewMs)
    throw new ProtocolError('FutureTimestamp', `the head is dated ${ahead} ms ahead of the hub's clock`);
}
