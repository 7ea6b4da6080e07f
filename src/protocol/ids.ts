/**
 * Ids are lowercase hex everywhere on the wire and in URLs. They are branded
 * strings made only by the parsers here, so a value typed `CommitId` has been
 * checked.
 */
import { isLowerHex } from './bytes.ts';
import { ProtocolError } from './errors.ts';
import { sha256Hex } from '../runtime/sha256.ts';

declare const brand: unique symbol;
type Brand<T, B extends string> = T & { readonly [brand]: B };

/** sha256 of a blob's bytes, 64 lowercase hex characters. */
export type ObjectId = Brand<string, 'ObjectId'>;
/** sha256 of a signed commit's bytes (commits are blobs too). */
export type CommitId = ObjectId;
/** An Ed25519 public key, 64 lowercase hex characters. */
export type PseudonymId = Brand<string, 'PseudonymId'>;

export function isObjectId(value: unknown): value is ObjectId {
  return isLowerHex(value, 32);
}

export function isPseudonymId(value: unknown): value is PseudonymId {
  return isLowerHex(value, 32);
}

/** @throws ProtocolError MalformedId */
export function parseObjectId(value: unknown): ObjectId {
  if (!isObjectId(value)) throw new ProtocolError('MalformedId', 'an object id is 64 lowercase hex characters');
  return value;
}

/** @throws ProtocolError MalformedId */
export function parsePseudonymId(value: unknown): PseudonymId {
  if (!isPseudonymId(value)) throw new ProtocolError('MalformedId', 'a pseudonym id is 64 lowercase hex characters');
  return value;
}

export function hashBytes(bytes: Uint8Array): ObjectId {
  return sha256Hex(bytes) as ObjectId;
}
