/**
 * For the scale-out tests: concurrent writers putting commits (as blobs) and
 * the heads naming them through one URL (the balancer), each noting what was
 * ACKNOWLEDGED (a 2xx answer received), and the check that every hub named
 * still answers all of it. A failed request (a killed hub, a database away)
 * is counted and the writer goes on with its next head: only an answer
 * binds the hub. (Not imported by the hub itself.)
 */
import { type HeadJson, headToJson } from '../../protocol/heads.ts';
import type { ObjectId, PseudonymId } from '../../protocol/ids.ts';
import { type SecretKey, pseudonymOf, secretKeyFrom } from '../../protocol/keys.ts';
import { sleep } from '../../runtime/sleep.ts';
import { headsOf, put, putBlob, signedHead } from './hub-fixture.ts';

export interface AcknowledgedWrites {
  /** Acknowledged commit blobs and their bytes. */
  readonly blobs: Map<ObjectId, Uint8Array>;
  /** The highest acknowledged head seq per author. */
  readonly heads: Map<PseudonymId, number>;
  /** Every head sent, acknowledged or not, by author and seq: a hub may hold one whose answer was lost. */
  readonly sent: Map<PseudonymId, Map<number, HeadJson>>;
  /** Heads acknowledged so far, in all. */
  acknowledged(): number;
  /** Requests that failed (an error answer, or no answer). */
  failures(): number;
  /** Ends the writers after their requests under way; resolves once they have. */
  stop(): Promise<void>;
}

/** The pause after a failed request. */
const RETRY_MS = 50;

/** Writer `i`'s key: distinct from the fixture's alice and bob (fills 1 and 2). */
export function writerKey(i: number): SecretKey {
  return secretKeyFrom(new Uint8Array(32).fill(100 + i));
}

/** Starts `writers` concurrent writers against `url`, each its own author, until stop(). */
export function startWriters(url: string, writers: number): AcknowledgedWrites {
  const blobs = new Map<ObjectId, Uint8Array>();
  const heads = new Map<PseudonymId, number>();
  const sent = new Map<PseudonymId, Map<number, HeadJson>>();
  let acknowledged = 0;
  let failures = 0;
  let stopping = false;
  const attempt = async (send: () => Promise<Response>, ok: number[]): Promise<boolean> => {
    try {
      const res = await send();
      await res.arrayBuffer();
      if (ok.includes(res.status)) return true;
    } catch {
      // No answer (the hub or the balancer cut the connection): nothing acknowledged.
    }
    failures++;
    // As a client backs off: a hub answering 503 at once must not be asked in a tight loop.
    await sleep(RETRY_MS);
    return false;
  };
  const write = async (key: SecretKey) => {
    const author = pseudonymOf(key);
    const mine = new Map<number, HeadJson>();
    sent.set(author, mine);
    for (let seq = 1; !stopping; seq++) {
      const { head, commit } = signedHead(key, seq);
      if (!(await attempt(() => putBlob(url, commit.id, commit.bytes, key), [200, 201]))) continue;
      blobs.set(commit.id, commit.bytes);
      mine.set(seq, headToJson(head));
      if (!(await attempt(() => put(`${url}/v1/heads/${author}`, head.bytes), [200]))) continue;
      heads.set(author, seq);
      acknowledged++;
    }
  };
  const running = Promise.all(Array.from({ length: writers }, (_, i) => write(writerKey(i))));
  return {
    blobs,
    heads,
    sent,
    acknowledged: () => acknowledged,
    failures: () => failures,
    async stop() {
      stopping = true;
      await running;
    },
  };
}

/**
 * What `hubUrl` lacks of `writes`: for each author whose head is behind the acknowledged one or not one
 * its writer sent, a line; for each acknowledged blob not answered with its bytes, a line. Empty: none.
 */
export async function missingFrom(hubUrl: string, writes: AcknowledgedWrites): Promise<string[]> {
  const lacking: string[] = [];
  const authors = [...writes.heads.keys()];
  const held = await headsOf(hubUrl, authors);
  for (const author of authors) {
    const acknowledged = writes.heads.get(author)!;
    const head = held[author];
    if (!head || head.seq < acknowledged) lacking.push(`${author}: seq ${head?.seq} < ${acknowledged}`);
    else if (head.sig !== writes.sent.get(author)?.get(head.seq)?.sig)
      lacking.push(`${author}: a head at seq ${head.seq} that was never sent`);
  }
  const ids = [...writes.blobs.keys()];
  for (let i = 0; i < ids.length; i += 16) {
    await Promise.all(
      ids.slice(i, i + 16).map(async (id) => {
        const res = await fetch(`${hubUrl}/v1/blobs/${id}`);
        const bytes = new Uint8Array(await res.arrayBuffer());
        if (res.status !== 200 || Buffer.compare(bytes, writes.blobs.get(id)!) !== 0)
          lacking.push(`blob ${id}: ${res.status}`);
      }),
    );
  }
  return lacking;
}
