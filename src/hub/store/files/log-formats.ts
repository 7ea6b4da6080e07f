/**
 * What the file store's logs hold, read back: one parser per file, pure, so
 * the fuzzer (fuzz/hub-store-targets.ts) can feed each a million damaged
 * files without touching a disk. Each takes the complete lines openAppendLog
 * read (a torn last line is already cut off) and returns what the store
 * rebuilds in memory, or throws CorruptStore (store-errors.ts) naming the file and
 * the line: a hub never starts on a log it cannot read whole, since skipping
 * a line could forget an acknowledged head, notice or charge.
 */
import { utf8 } from '../../../protocol/bytes.ts';
import { type SignedHandleClaim, decodeHandleClaim } from '../../../protocol/handles.ts';
import { decodeHead } from '../../../protocol/heads.ts';
import { type CommitId, isObjectId } from '../../../protocol/ids.ts';
import { decodeNotice } from '../../../protocol/notices.ts';
import type { HeadChange, StoredNotice } from '../hub-store.ts';
import { CorruptStore } from '../store-errors.ts';

function corrupt(file: string, index: number, line: string, why: string, cause?: unknown): CorruptStore {
  const shown = JSON.stringify(line.slice(0, 80));
  return new CorruptStore(`${file}: line ${index + 1} ${shown}: ${why}`, { cause });
}

/** Splits `<seq> <rest>` where seq is a positive safe integer; undefined when the line is not of that form. */
function splitSeq(line: string): { seq: number; rest: string } | undefined {
  const space = line.indexOf(' ');
  if (space < 1 || !/^[1-9][0-9]*$/.test(line.slice(0, space))) return undefined;
  const seq = Number(line.slice(0, space));
  return Number.isSafeInteger(seq) ? { seq, rest: line.slice(space + 1) } : undefined;
}

/** Lines `<seq> <signed record>` with seqs ascending, each record read by `decode`. */
function parseSeqLog<T>(
  file: string,
  lines: readonly string[],
  decode: (bytes: Uint8Array) => T,
): { seq: number; signed: T }[] {
  let last = 0;
  return lines.map((line, i) => {
    const split = splitSeq(line);
    if (!split) throw corrupt(file, i, line, 'expected "<seq> <record>"');
    if (split.seq <= last) throw corrupt(file, i, line, `seq ${split.seq} does not follow ${last}`);
    last = split.seq;
    try {
      return { seq: split.seq, signed: decode(utf8(split.rest)) };
    } catch (error) {
      throw corrupt(file, i, line, `the record does not decode (${(error as Error).name})`, error);
    }
  });
}

/** heads.log: `<change seq> <signed head>` per accepted head, seqs ascending. */
export function parseHeadsLog(lines: readonly string[]): HeadChange[] {
  return parseSeqLog('heads.log', lines, decodeHead);
}

/** inbox.log: `<seq> <signed notice>` per stored notice, seqs ascending. */
export function parseInboxLog(lines: readonly string[]): StoredNotice[] {
  return parseSeqLog('inbox.log', lines, decodeNotice);
}

export interface QuotaCharge {
  readonly author: string;
  readonly id: string;
  readonly bytes: number;
}

/** quota.log: `<author> <blob id> <bytes>` per charge. */
export function parseQuotaLog(lines: readonly string[]): QuotaCharge[] {
  return lines.map((line, i) => {
    const [author, id, bytes, extra] = line.split(' ');
    if (!isObjectId(author) || !isObjectId(id) || extra !== undefined || !/^[0-9]+$/.test(bytes ?? ''))
      throw corrupt('quota.log', i, line, 'expected "<author> <blob id> <bytes>"');
    const n = Number(bytes);
    if (!Number.isSafeInteger(n)) throw corrupt('quota.log', i, line, 'the byte count is too large');
    return { author, id, bytes: n };
  });
}

/** address.log: `<group> <bytes>` per charge (negative: a refund), summed per group. */
export function parseAddressLog(lines: readonly string[]): Map<string, number> {
  const used = new Map<string, number>();
  lines.forEach((line, i) => {
    const [group, bytes, extra] = line.split(' ');
    if (!group || extra !== undefined || !/^-?[0-9]+$/.test(bytes ?? ''))
      throw corrupt('address.log', i, line, 'expected "<group> <bytes>"');
    const sum = (used.get(group) ?? 0) + Number(bytes);
    if (!Number.isSafeInteger(sum)) throw corrupt('address.log', i, line, 'the byte count is too large');
    used.set(group, sum);
  });
  return used;
}

/** mirror/verified.log: space-separated commit ids, one line per mirrored head. */
export function parseVerifiedLog(lines: readonly string[]): Set<CommitId> {
  const ids = new Set<CommitId>();
  lines.forEach((line, i) => {
    for (const id of line.split(' ')) {
      if (!isObjectId(id)) throw corrupt('mirror/verified.log', i, line, 'expected commit ids separated by spaces');
      ids.add(id);
    }
  });
  return ids;
}

/** handles/<name>: the claim's signed bytes, for that very name. */
export function parseHandleFile(name: string, bytes: Uint8Array): SignedHandleClaim {
  let signed: SignedHandleClaim;
  try {
    signed = decodeHandleClaim(bytes);
  } catch (error) {
    throw new CorruptStore(`handles/${name}: not a handle claim (${(error as Error).name})`, {
      cause: error,
    });
  }
  if (signed.claim.name !== name)
    throw new CorruptStore(`handles/${name}: holds the claim of ${JSON.stringify(signed.claim.name)}`);
  return signed;
}
