/**
 * Inbox policies: `{type:"inbox_policy", author, mode, salt?, senders?, seq,
 * ts}` signed by the inbox's pseudonym, telling its hubs whose notices to
 * take. A hub keeps the policy with the greatest seq and refuses a notice
 * from a sender it does not admit (InboxClosed), before storing anything;
 * the recipient's client filters again, since a hub may not have the newest
 * policy (or may not care).
 *
 * Modes: `closed` (only the people the pseudonym follows), `allowlist` (only
 * the pseudonyms it names), `open` and `public` (anyone; the hub treats them
 * alike, the client files notices from strangers as requests under `open`),
 * and `board`, a hive's inbox (hives.ts): anyone may leave a notice and anyone
 * may read them, with no signed request, since a hive is assembled by every
 * reader from what its members announce there (PROTOCOL.md, Hives).
 * Under `closed` and `allowlist` the admitted senders are listed as salted
 * tags, `sha256(salt | sender id bytes)` cut to 16 bytes, sorted: a hub can
 * test the sender of a notice in hand, but reading the policy alone names no
 * one, and a fresh salt per policy keeps two pseudonyms' policies from being
 * compared. Someone holding a candidate id can still test it (PROTOCOL.md,
 * Inbox policies, says so).
 */
import { fromHex, isLowerHex, toHex } from './bytes.ts';
import { ProtocolError } from './errors.ts';
import { invalid, readArray, readPseudonymId, readSeqOrTs, requireKeys } from './fields.ts';
import type { PseudonymId } from './ids.ts';
import { type SecretKey, type Verify, pseudonymOf } from './keys.ts';
import { type Fields, type SignedRecord, buildSigned, decodeSigned, verifySigned } from './signed.ts';
import { sha256 } from '../runtime/sha256.ts';

export const INBOX_MODES = ['closed', 'allowlist', 'open', 'public', 'board'] as const;
export type InboxMode = (typeof INBOX_MODES)[number];
/** The modes a person's inbox may take: `board` is a hive's, whose notices anyone may read. */
export const PERSON_INBOX_MODES = ['closed', 'allowlist', 'open', 'public'] as const satisfies readonly InboxMode[];

/** Modes that admit only listed senders. */
const LISTED_MODES: readonly InboxMode[] = ['closed', 'allowlist'];

export const INBOX_POLICY_LIMITS = {
  /** Senders one policy admits by name; a pseudonym following more names the ones it wants to hear from. */
  senders: 2048,
  bytes: 80 * 1024,
  saltBytes: 16,
  tagBytes: 16,
} as const;

export interface InboxPolicy {
  readonly type: 'inbox_policy';
  readonly author: PseudonymId;
  readonly mode: InboxMode;
  /** Hex, for `closed` and `allowlist` only. */
  readonly salt?: string;
  /** Sorted, distinct sender tags (hex), for `closed` and `allowlist` only. */
  readonly senders?: readonly string[];
  /** Greater than the last policy's: a hub keeps the greatest. */
  readonly seq: number;
  readonly ts: number;
}

export interface SignedInboxPolicy {
  readonly policy: InboxPolicy;
  readonly sig: string;
  readonly bytes: Uint8Array;
  readonly signed: SignedRecord;
}

/** The tag a listed sender has under `salt` (hex). */
export function senderTag(salt: string, sender: PseudonymId): string {
  const input = new Uint8Array(INBOX_POLICY_LIMITS.saltBytes + 32);
  input.set(fromHex(salt), 0);
  input.set(fromHex(sender), INBOX_POLICY_LIMITS.saltBytes);
  return toHex(sha256(input).subarray(0, INBOX_POLICY_LIMITS.tagBytes));
}

/** Whether the policy lets `sender` leave a notice. The inbox's own pseudonym is always admitted. */
export function admitsSender(policy: InboxPolicy, sender: PseudonymId): boolean {
  if (!LISTED_MODES.includes(policy.mode) || sender === policy.author) return true;
  const tag = senderTag(policy.salt!, sender);
  const senders = policy.senders!;
  let lo = 0;
  let hi = senders.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (senders[mid]! < tag) lo = mid + 1;
    else hi = mid;
  }
  return senders[lo] === tag;
}

/**
 * @param senders who a `closed` or `allowlist` policy admits (ignored for `open`, `public` and `board`).
 * @param salt 16 random bytes (crypto.getRandomValues in use; fixed in the vectors).
 * @throws ProtocolError as decodeInboxPolicy (TooLarge past INBOX_POLICY_LIMITS.senders).
 */
export function buildInboxPolicy(
  secretKey: SecretKey,
  fields: { mode: InboxMode; senders: readonly PseudonymId[]; seq: number; ts: number },
  salt: Uint8Array,
): SignedInboxPolicy {
  const listed = LISTED_MODES.includes(fields.mode);
  const saltHex = toHex(salt);
  const unsigned = {
    type: 'inbox_policy',
    author: pseudonymOf(secretKey),
    mode: fields.mode,
    ...(listed && {
      salt: saltHex,
      senders: [...new Set(fields.senders.map((s) => senderTag(saltHex, s)))].sort(),
    }),
    seq: fields.seq,
    ts: fields.ts,
  } as Fields;
  return decodeInboxPolicy(buildSigned(unsigned, secretKey).bytes);
}

/** @throws ProtocolError TooLarge, DecodeError, NonCanonical, InvalidField, MalformedId, BadSeq */
export function decodeInboxPolicy(bytes: Uint8Array): SignedInboxPolicy {
  if (bytes.length > INBOX_POLICY_LIMITS.bytes)
    throw new ProtocolError('TooLarge', `an inbox policy is at most ${INBOX_POLICY_LIMITS.bytes} bytes`);
  const signed = decodeSigned(bytes, 'inbox_policy');
  const { fields, sig } = signed;
  requireKeys(fields, ['type', 'author', 'mode', 'salt', 'senders', 'seq', 'ts'], 'inbox_policy');
  const mode = fields.mode;
  if (typeof mode !== 'string' || !(INBOX_MODES as readonly string[]).includes(mode))
    throw invalid('mode', `one of ${INBOX_MODES.join(', ')}`);
  const listed = LISTED_MODES.includes(mode as InboxMode);
  if (!listed && (fields.salt !== undefined || fields.senders !== undefined))
    throw invalid('senders', `a ${mode} inbox lists no senders`);
  if (listed && !isLowerHex(fields.salt, INBOX_POLICY_LIMITS.saltBytes))
    throw invalid('salt', `expected ${INBOX_POLICY_LIMITS.saltBytes * 2} lowercase hex characters`);
  const senders = listed ? readArray(fields, 'senders', INBOX_POLICY_LIMITS.senders)! : undefined;
  senders?.forEach((tag, i) => {
    if (!isLowerHex(tag, INBOX_POLICY_LIMITS.tagBytes))
      throw invalid(`senders[${i}]`, `expected ${INBOX_POLICY_LIMITS.tagBytes * 2} lowercase hex characters`);
    if (i > 0 && (senders[i - 1] as string) >= tag) throw invalid('senders', 'must be sorted and distinct');
  });
  const policy: InboxPolicy = {
    type: 'inbox_policy',
    author: readPseudonymId(fields, 'author'),
    mode: mode as InboxMode,
    ...(listed && { salt: fields.salt as string, senders: senders as string[] }),
    seq: readSeqOrTs(fields, 'seq', 1),
    ts: readSeqOrTs(fields, 'ts', 0),
  };
  return { policy, sig, bytes, signed };
}

export function verifyInboxPolicy(signed: SignedInboxPolicy, verify: Verify): Promise<boolean> {
  return verifySigned(signed.signed, signed.policy.author, verify);
}
