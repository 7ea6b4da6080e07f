/**
 * Inbox notices: `{type:"notice", from, to, kind, ids, ts, hubs?}` signed by
 * `from`. A notice holds only ids (of commits, objects, ciphertext blobs);
 * what they name is fetched and verified on its own, so a hub or a sender
 * cannot make a notice say more than the signed objects do. `hubs`, the
 * sender's own hubs, is a hint of where its feed lives (so a recipient on
 * another hub can fetch it, to name the sender or seal to its DM key): the
 * feed found there is verified like any other.
 */
import { encodeCanonical } from './canonical.ts';
import { ProtocolError } from './errors.ts';
import { checkHubOrigins, readArray, readInt, readPseudonymId, requireKeys } from './fields.ts';
import { type ObjectId, type PseudonymId, isObjectId } from './ids.ts';
import { type SecretKey, type Verify, pseudonymOf } from './keys.ts';
import { type Fields, type SignedRecord, buildSigned, decodeSigned, verifySigned } from './signed.ts';

/**
 * `hive`: an announcement to a hive's board inbox (inbox-policy.ts `board`) of a commit in the sender's feed that
 * acts in the hive; `ids` names the commit, and readers fetch and verify it from the sender's `hubs`.
 */
export const NOTICE_KINDS = ['mention', 'reply', 'quote', 'react', 'repost', 'follow', 'dm', 'hive'] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];

export const NOTICE_LIMITS = { bytes: 2048, ids: 8, hubs: 4 } as const;

export interface Notice {
  readonly type: 'notice';
  readonly from: PseudonymId;
  readonly to: PseudonymId;
  readonly kind: NoticeKind;
  readonly ids: readonly ObjectId[];
  readonly ts: number;
  /** The sender's hubs, where its feed can be fetched (absent: ask the recipient's own hubs). */
  readonly hubs?: readonly string[];
}

export interface SignedNotice {
  readonly notice: Notice;
  readonly sig: string;
  readonly bytes: Uint8Array;
  readonly signed: SignedRecord;
}

export function buildNotice(
  secretKey: SecretKey,
  fields: { to: PseudonymId; kind: NoticeKind; ids: readonly ObjectId[]; ts: number; hubs?: readonly string[] },
): SignedNotice {
  const unsigned = {
    type: 'notice',
    from: pseudonymOf(secretKey),
    to: fields.to,
    kind: fields.kind,
    ids: [...fields.ids],
    ts: fields.ts,
    ...(fields.hubs?.length && { hubs: [...fields.hubs] }),
  } as Fields;
  return decodeNotice(buildSigned(unsigned, secretKey).bytes);
}

/** @throws ProtocolError TooLarge, DecodeError, NonCanonical, InvalidField, MalformedId */
export function decodeNotice(bytes: Uint8Array): SignedNotice {
  if (bytes.length > NOTICE_LIMITS.bytes)
    throw new ProtocolError('TooLarge', `a notice is at most ${NOTICE_LIMITS.bytes} bytes`);
  const signed = decodeSigned(bytes, 'notice');
  const { fields, sig } = signed;
  requireKeys(fields, ['type', 'from', 'to', 'kind', 'ids', 'ts', 'hubs'], 'notice');
  const kind = fields.kind;
  if (typeof kind !== 'string' || !(NOTICE_KINDS as readonly string[]).includes(kind)) {
    throw new ProtocolError('InvalidField', `kind: one of ${NOTICE_KINDS.join(', ')}`, { field: 'kind' });
  }
  const ids = readArray(fields, 'ids', NOTICE_LIMITS.ids)!;
  if (ids.length === 0) throw new ProtocolError('InvalidField', 'ids: at least one', { field: 'ids' });
  ids.forEach((id, i) => {
    if (!isObjectId(id)) throw new ProtocolError('MalformedId', `ids[${i}]: expected an object id`, { field: 'ids' });
  });
  const notice: Notice = {
    type: 'notice',
    from: readPseudonymId(fields, 'from'),
    to: readPseudonymId(fields, 'to'),
    kind: kind as NoticeKind,
    ids: ids as ObjectId[],
    ts: readInt(fields, 'ts', 0),
  };
  if (fields.hubs === undefined) return { notice, sig, bytes, signed };
  checkHubOrigins(fields.hubs, NOTICE_LIMITS.hubs);
  if (fields.hubs.length === 0) throw new ProtocolError('InvalidField', 'hubs: left out when empty', { field: 'hubs' });
  return { notice: { ...notice, hubs: fields.hubs }, sig, bytes, signed };
}

/**
 * A notice as JSON, as an inbox page lists it (any JSON value the hub sent).
 * @throws ProtocolError DecodeError for a value with no canonical form (null,
 *   a fraction, nesting too deep), else as decodeNotice.
 */
export function decodeNoticeJson(json: unknown): SignedNotice {
  let bytes: Uint8Array;
  try {
    bytes = encodeCanonical(json);
  } catch (cause) {
    throw new ProtocolError('DecodeError', `not a notice: ${(cause as Error).message}`);
  }
  return decodeNotice(bytes);
}

export function verifyNotice(signed: SignedNotice, verify: Verify): Promise<boolean> {
  return verifySigned(signed.signed, signed.notice.from, verify);
}
