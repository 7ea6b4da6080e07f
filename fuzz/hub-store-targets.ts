/**
 * The hub's own data files, read back at start (src/hub/store/files/log-formats.ts):
 * any bytes on disk either parse into what the store rebuilds or are refused
 * with CorruptStore, never another exception. Each target gives the
 * parser what openAppendLog gives it: the file's text as Node decodes it, cut
 * to its complete lines (completeLines). What the file store does around the
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
import { CorruptStore } from '../src/hub/store/store-errors.ts';
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

export const HUB_STORE_TARGETS: readonly Target[] = [
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
