/**
 * A feed's signed head as received (JSON from a hub, a live event), checked:
 * canonical, decoded, its author the one asked for, its signature (or its
 * agent's under a delegation) good. No storage, so the handle lookup and the
 * pointer check (pointer.ts) use it as ingest does.
 */
import { encodeCanonical } from '../../src/protocol/canonical.ts';
import { ProtocolError } from '../../src/protocol/errors.ts';
import { type SignedHead, checkHeadSignature, decodeHead } from '../../src/protocol/heads.ts';
import type { PseudonymId } from '../../src/protocol/ids.ts';
import type { Verify } from '../../src/protocol/keys.ts';

/**
 * A head from its JSON form, verified as `author`'s.
 * @throws ProtocolError DecodeError, NonCanonical, InvalidField, WrongAuthor, BadSignature, BadDelegation,
 *   DelegationExpired
 */
export async function verifiedHead(json: unknown, author: PseudonymId, verify: Verify): Promise<SignedHead> {
  let bytes: Uint8Array;
  try {
    bytes = encodeCanonical(json);
  } catch (error) {
    throw new ProtocolError('DecodeError', `head of ${author} is not a canonical value: ${(error as Error).message}`);
  }
  const signed = decodeHead(bytes);
  if (signed.head.author !== author)
    throw new ProtocolError('WrongAuthor', `a head of ${signed.head.author} was given for ${author}`);
  await checkHeadSignature(signed, verify);
  return signed;
}
