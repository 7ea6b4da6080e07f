/**
 * The hub's own data files, read back at start (src/hub/store/files/log-formats.ts):
 * any bytes on disk either parse into what the store rebuilds or are refused
 * with CorruptStore, never another exception. Each target gives the
 * parser what openAppendLog gives it: the file's text as Node decodes it, cut
 * to its complete lines (completeLines). Blob segments and their hints
 * (segment-format.ts) are read as bytes: a segment's reader stops at damage
 * (never throws), and only whole records that hash to their ids are read. What the file store does around the
 * parsers (refusing to open, changing nothing) is shown in
 * src/hub/store/files/corrupt-store.test.ts, on a real disk.
 */
import { fromUtf8 } from '../src/protocol/bytes.ts';
import { isObjectId } from '../src/protocol/ids.ts';
import { completeLines } from '../src/hub/store/files/append-log.ts';
import {
  parseAddressLog,
  parseHandleFile,
  parseHeadsLog,
  parseInboxLog,
  parseQuotaLog,
  parseVerifiedLog,
} from '../src/hub/store/files/log-formats.ts';
import { encodeHints, parseHints, parseSegment, recordHeader } from '../src/hub/store/files/segment-format.ts';
import { CorruptStore } from '../src/hub/store/store-errors.ts';
import { hashBytes } from '../src/protocol/ids.ts';
import { sha256HexNode } from '../src/runtime/sha256-node.ts';
import * as seeds from './seeds.ts';
import { FuzzFailure, type Target } from './targets.ts';

const corruptStore = (error: unknown): boolean => error instanceof CorruptStore;

function expectThat(ok: boolean, what: string): void {
  if (!ok) throw new FuzzFailure(what);
}

/** The complete lines of a file holding `input`, as the file store reads them. */
const linesOf = (input: Uint8Array) => completeLines(Buffer.from(input).toString('utf8')).lines;

const logTarget = (name: string, seeded: readonly Uint8Array[], run: (lines: string[]) => void): Target => ({
  name,
  seeds: async () => seeded,
  run: (input) => run(linesOf(input)),
  named: corruptStore,
});

/** Seqs ascending, and each record's bytes are its line's (a store rewrites lines from them when compacting). */
function checkSeqLog(lines: readonly string[], read: readonly { seq: number; signed: { bytes: Uint8Array } }[]): void {
  expectThat(read.length === lines.length, 'a line was skipped');
  read.forEach(({ seq, signed }, i) => {
    expectThat(Number.isSafeInteger(seq) && seq > (read[i - 1]?.seq ?? 0), `seq ${seq} out of order`);
    expectThat(lines[i] === `${seq} ${fromUtf8(signed.bytes)}`, 'the record is not the line it was read from');
  });
}

/** A segment of two small blobs, and the same with its last record cut short: where the fuzzer starts. */
function segmentSeeds(): Uint8Array[] {
  const blobs = [new Uint8Array([1, 2, 3]), new TextEncoder().encode('a small blob')];
  const whole = Buffer.concat(blobs.flatMap((b) => [recordHeader(hashBytes(b), b.length), b]));
  return [whole, whole.subarray(0, whole.length - 2)];
}

const SEGMENT_MAX = 1024;

export const HUB_STORE_TARGETS: readonly Target[] = [
  {
    name: 'hub-blob-segment',
    seeds: async () => segmentSeeds(),
    run: (input) => {
      const { records, end, damage } = parseSegment(input, SEGMENT_MAX);
      expectThat((damage === undefined) === (end === input.length), `stopped at ${end} of ${input.length}`);
      let at = 0;
      for (const r of records) {
        expectThat(r.offset === at + 36 && r.length <= SEGMENT_MAX, 'records are not back to back');
        expectThat(sha256HexNode(input.subarray(r.offset, r.offset + r.length)) === r.id, 'a record is not its id');
        at = r.offset + r.length;
      }
      expectThat(at === end, 'the records do not end where reading stopped');
    },
    named: () => false,
  },
  {
    name: 'hub-segment-hints',
    seeds: async () => segmentSeeds().map((s) => encodeHints(parseSegment(s, SEGMENT_MAX).records)),
    run: (input, aux) => {
      const size = (aux[0] ?? 0) * 64;
      for (const r of parseHints('hints', input, size))
        expectThat(isObjectId(r.id) && r.offset >= 36 && r.offset + r.length <= size, 'a hint past the segment');
    },
    named: corruptStore,
  },
  logTarget('hub-heads-log', seeds.hubLogs.heads, (lines) => checkSeqLog(lines, parseHeadsLog(lines))),
  logTarget('hub-inbox-log', seeds.hubLogs.inbox, (lines) => checkSeqLog(lines, parseInboxLog(lines))),
  logTarget('hub-quota-log', seeds.hubLogs.quota, (lines) => {
    const charges = parseQuotaLog(lines);
    expectThat(charges.length === lines.length, 'a line was skipped');
    for (const c of charges)
      expectThat(isObjectId(c.author) && isObjectId(c.id) && Number.isSafeInteger(c.bytes) && c.bytes >= 0, 'a charge');
  }),
  logTarget('hub-address-log', seeds.hubLogs.address, (lines) => {
    for (const [group, n] of parseAddressLog(lines))
      expectThat(group !== '' && !group.includes(' ') && Number.isSafeInteger(n), `group ${group} at ${n}`);
  }),
  logTarget('hub-verified-log', seeds.hubLogs.verified, (lines) => {
    for (const id of parseVerifiedLog(lines)) expectThat(isObjectId(id), `${id} is not a commit id`);
  }),
  {
    name: 'hub-handle-file',
    seeds: async () => seeds.hubLogs.handles,
    run: (input, aux) => {
      // The file's name is a seed's name most of the time, so accepted claims are reached.
      const name = (aux[0] ?? 0) % 4 === 0 ? 'mallory' : (aux[0] ?? 0) % 2 === 0 ? 'alice' : 'b.o_b-1';
      const signed = parseHandleFile(name, input);
      expectThat(signed.claim.name === name, `handles/${name} read as ${signed.claim.name}`);
    },
    named: corruptStore,
  },
];
