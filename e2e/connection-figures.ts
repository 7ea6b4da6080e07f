/**
 * What a hub could link by connection, counted from its measurement log (src/hub/http/connection-log.ts):
 * which TCP connections carried requests naming one pseudonym, the other, or both. A request names a
 * pseudonym when its target (path and query, %-escapes decoded) holds one of its marks (its id, its handle,
 * the ids of its commits) or its signed-request author is that pseudonym.
 *
 * Other signers are counted too: keys the log shows as signers or head authors that are neither pseudonym
 * nor anyone the test named (`known`). Here those are the private-state pointer keys (workers/private/sync.ts),
 * derived from each pseudonym's key so that nothing they send ties them to it; which one is whose cannot be
 * read from the log, so the figure is which pseudonyms' connections each shares.
 */
import type { ConnectionLogLine } from '../src/hub/http/connection-log.ts';

export interface ConnectionFigures {
  readonly requests: number;
  readonly naming: readonly [number, number];
  /** Requests naming both: none, if the app keeps its promise (e2e/unlinkability.spec.ts checks it too). */
  readonly namingBoth: number;
  readonly connections: number;
  /** Connections carrying a request naming the first pseudonym, the second. */
  readonly connectionsNaming: readonly [number, number];
  /** Connections carrying requests naming the first and requests naming the second: each one links them. */
  readonly shared: number;
  /** How many requests each shared connection carried. */
  readonly requestsPerShared: readonly number[];
  /** Times a connection carried a request naming one pseudonym right after one naming the other. */
  readonly switches: number;
  /** The least time between a request naming one and a request naming the other, on any connection (ms). */
  readonly closestMs: number | undefined;
  /** Other signers (see above), and how many of them shared a connection with A only, B only, both. */
  readonly otherSigners: number;
  readonly otherSharing: readonly [number, number, number];
}

/** The log's lines (one JSON object a line). */
export function parseConnectionLog(text: string): ConnectionLogLine[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as ConnectionLogLine);
}

/** Which of the two pseudonyms (0, 1: given by their marks) `line` names: none, one or both. */
function named(line: ConnectionLogLine, marks: readonly [readonly string[], readonly string[]]): number[] {
  const target = decodeAscii(line.target ?? '');
  return [0, 1].filter((i) => line.author === marks[i]![0] || marks[i]!.some((mark) => target.includes(mark)));
}

/** The keys a request names as its signer or as a head's author (blob ids, also hex, are not keys). */
function signers(line: ConnectionLogLine): string[] {
  const url = new URL(line.target ?? '/', 'http://hub.invalid');
  const head = /^\/v1\/heads\/([0-9a-f]{64})$/.exec(url.pathname)?.[1];
  const listed = url.pathname === '/v1/heads' ? (url.searchParams.get('authors') ?? '').split(',') : [];
  return [line.author, head, ...listed].filter((id): id is string => id !== undefined && /^[0-9a-f]{64}$/.test(id));
}

/**
 * `marks`: for each pseudonym, its id first, then anything else that names it in a request target; `known`:
 * every other id the test knows of (people followed), so that what is left are the other signers.
 */
export function countConnections(
  lines: readonly ConnectionLogLine[],
  marks: readonly [readonly string[], readonly string[]],
  known: readonly string[],
): ConnectionFigures {
  const byConnection = new Map<number, ConnectionLogLine[]>();
  for (const line of lines) byConnection.set(line.connection, [...(byConnection.get(line.connection) ?? []), line]);
  const naming: [number, number] = [0, 0];
  let namingBoth = 0;
  for (const line of lines) {
    const who = named(line, marks);
    for (const i of who) naming[i as 0 | 1]++;
    if (who.length === 2) namingBoth++;
  }
  const connectionsNaming: [number, number] = [0, 0];
  const requestsPerShared: number[] = [];
  let switches = 0;
  for (const carried of byConnection.values()) {
    const sequence = carried.flatMap((line) => named(line, marks));
    if (sequence.includes(0)) connectionsNaming[0]++;
    if (sequence.includes(1)) connectionsNaming[1]++;
    if (sequence.includes(0) && sequence.includes(1)) requestsPerShared.push(carried.length);
    for (let i = 1; i < sequence.length; i++) if (sequence[i] !== sequence[i - 1]) switches++;
  }
  const others = new Map<string, Set<number>>();
  const isOther = (id: string) => id !== marks[0][0] && id !== marks[1][0] && !known.includes(id);
  for (const line of lines) for (const id of signers(line).filter(isOther)) others.set(id, new Set());
  for (const carried of byConnection.values()) {
    const who = new Set(carried.flatMap((line) => named(line, marks)));
    for (const id of new Set(carried.flatMap(signers))) for (const i of who) others.get(id)?.add(i);
  }
  const sharing = [...others.values()];
  return {
    requests: lines.length,
    naming,
    namingBoth,
    connections: byConnection.size,
    connectionsNaming,
    shared: requestsPerShared.length,
    requestsPerShared,
    switches,
    closestMs: closest(
      lines.filter((line) => named(line, marks).includes(0)).map((line) => line.t),
      lines.filter((line) => named(line, marks).includes(1)).map((line) => line.t),
    ),
    otherSigners: others.size,
    otherSharing: [
      sharing.filter((s) => s.has(0) && !s.has(1)).length,
      sharing.filter((s) => s.has(1) && !s.has(0)).length,
      sharing.filter((s) => s.size === 2).length,
    ],
  };
}

function closest(a: readonly number[], b: readonly number[]): number | undefined {
  let best: number | undefined;
  for (const x of a) for (const y of b) if (best === undefined || Math.abs(x - y) < best) best = Math.abs(x - y);
  return best;
}

/** Ids, handles and their separators are ASCII: their %-escapes decoded, nothing else (no throw on odd bytes). */
function decodeAscii(text: string): string {
  return text.replace(/%([0-7][0-9a-f])/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/** The figures in a line or two, for the test's annotations and output. */
export function describeFigures(f: ConnectionFigures): string {
  return [
    `${f.requests} requests on ${f.connections} connections;`,
    `naming A: ${f.naming[0]} requests on ${f.connectionsNaming[0]} connections;`,
    `naming B: ${f.naming[1]} requests on ${f.connectionsNaming[1]} connections;`,
    `naming both: ${f.namingBoth} requests;`,
    `connections carrying both: ${f.shared} (requests on each: ${f.requestsPerShared.join(', ') || 'none'});`,
    `A/B switches on one connection: ${f.switches};`,
    `closest A and B requests: ${f.closestMs ?? '-'} ms apart;`,
    `other signers (private-state pointers): ${f.otherSigners}, sharing a connection with A only:`,
    `${f.otherSharing[0]}, with B only: ${f.otherSharing[1]}, with both: ${f.otherSharing[2]}`,
  ].join(' ');
}
