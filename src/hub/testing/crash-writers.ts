/**
 * For the crash test (crash-run.ts): concurrent writers hammering a hub with
 * signed blob uploads, heads of increasing seq, handle claims and inbox
 * notices, each recording what the hub ACKNOWLEDGED (a 2xx answer received)
 * in a ledger the checker later holds the hub to. A writer stops at its
 * first failed request (the hub was killed under it). (Test code; not
 * imported by the hub.)
 */
import { buildHandleClaim } from '../../protocol/handles.ts';
import { buildHead } from '../../protocol/heads.ts';
import { type CommitId, type ObjectId, type PseudonymId, hashBytes } from '../../protocol/ids.ts';
import { type SecretKey, pseudonymOf, secretKeyFrom } from '../../protocol/keys.ts';
import { buildNotice } from '../../protocol/notices.ts';
import { newRequestNonce, signRequest } from '../../protocol/request-auth.ts';

export interface Ledger {
  /** Acknowledged blobs and their length (their bytes are checked through the data folder scan). */
  readonly blobs: Map<ObjectId, number>;
  /** The highest acknowledged head seq per author. */
  readonly heads: Map<PseudonymId, number>;
  /** Acknowledged claims: name -> author. */
  readonly claims: Map<string, PseudonymId>;
  /** Acknowledged notices (their signatures), all sent to `inboxKey`'s pseudonym. */
  readonly notices: Set<string>;
}

export function emptyLedger(): Ledger {
  return { blobs: new Map(), heads: new Map(), claims: new Map(), notices: new Set() };
}

/** The inbox every notice goes to. */
export const inboxKey = secretKeyFrom(new Uint8Array(32).fill(200));

export function writerKey(i: number): SecretKey {
  return secretKeyFrom(new Uint8Array(32).fill(i + 1));
}

/** A small seedable PRNG (mulberry32), so a failing run can be repeated. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface WriterRun {
  readonly hubUrl: string;
  /** host:port, as claims name the hub. */
  readonly host: string;
  readonly index: number;
  /** Distinguishes this cycle's claim names from earlier ones. */
  readonly cycle: number;
  /** The seq to put next for this writer's author (above anything the hub may hold). */
  readonly nextSeq: number;
  readonly ledger: Ledger;
  readonly random: () => number;
  /** Called after each acknowledged write, with its kind. */
  readonly onAck?: (kind: WriteKind) => void;
}

/** What a writer writes, in turn. */
export const WRITE_KINDS = ['blob', 'head', 'claim', 'notice'] as const;
export type WriteKind = (typeof WRITE_KINDS)[number];

/**
 * Writes until a request fails; resolves with the number of acknowledged writes.
 * @throws RefusedError when the hub refuses a (valid) write.
 */
export async function runWriter(run: WriterRun): Promise<number> {
  const key = writerKey(run.index);
  const author = pseudonymOf(key);
  const to = pseudonymOf(inboxKey);
  let seq = run.nextSeq;
  let acked = 0;
  for (let i = 0; ; i++) {
    try {
      const kind = i % 4;
      if (kind === 0) {
        const bytes = crypto.getRandomValues(new Uint8Array(64 + Math.floor(run.random() * 32 * 1024)));
        const id = hashBytes(bytes);
        const path = `/v1/blobs/${id}`;
        const headers = signRequest(key, {
          method: 'PUT',
          path,
          body: bytes,
          ts: Date.now(),
          host: new URL(run.hubUrl).host,
          nonce: newRequestNonce(),
        });
        await accepted(fetch(`${run.hubUrl}${path}`, { method: 'PUT', body: bytes, headers }));
        run.ledger.blobs.set(id, bytes.length);
      } else if (kind === 1) {
        const tip = hashBytes(new TextEncoder().encode(`tip ${author} ${seq}`)) as CommitId;
        const head = buildHead(key, { heads: [tip], seq, ts: Date.now() });
        await accepted(fetch(`${run.hubUrl}/v1/heads/${author}`, { method: 'PUT', body: head.bytes as BodyInit }));
        run.ledger.heads.set(author, Math.max(seq, run.ledger.heads.get(author) ?? 0));
        seq++;
      } else if (kind === 2) {
        const name = `c${run.cycle}w${run.index}n${i}`;
        const claim = buildHandleClaim(key, { name, host: run.host, ts: Date.now() });
        await accepted(fetch(`${run.hubUrl}/v1/handles/${name}`, { method: 'PUT', body: claim.bytes as BodyInit }));
        run.ledger.claims.set(name, author);
      } else {
        const ids = [hashBytes(new TextEncoder().encode(`notice ${run.cycle} ${run.index} ${i}`))];
        const notice = buildNotice(key, { to, kind: 'mention', ids, ts: Date.now() });
        await accepted(fetch(`${run.hubUrl}/v1/inbox/${to}`, { method: 'POST', body: notice.bytes as BodyInit }));
        run.ledger.notices.add(notice.sig);
      }
      acked++;
      run.onAck?.(WRITE_KINDS[kind]!);
    } catch (error) {
      if (error instanceof RefusedError) throw error;
      // The connection failed: the hub is gone, and this write was never acknowledged.
      return acked;
    }
  }
}

/**
 * Resolves once the hub acknowledged the write (a 2xx answer, read to its end).
 * @throws RefusedError for any other answer (every write here is valid, so that is a hub bug); TypeError when the
 *         connection fails.
 */
async function accepted(pending: Promise<Response>): Promise<void> {
  const res = await pending;
  const body = await res.text();
  if (res.status < 200 || res.status >= 300) throw new RefusedError(`the hub refused a write: ${res.status} ${body}`);
}

export class RefusedError extends Error {
  override readonly name = 'RefusedError';
}
