/**
 * The hub store's acceptance suite, in the manner of automerge-repo's
 * runStorageAdapterTests: every HubStore (hub-store.ts) runs these cases, so
 * a new backend (PostgreSQL and S3, issue 16) is done when it passes them.
 * contract.test.ts runs it for the memory and the file store. What only a
 * real disk can show (kill -9, compaction at start) stays beside the file
 * store (store/files/*.test.ts).
 *
 * This is test code (it imports vitest), named as the layer test expects.
 */
import { describe, expect, test } from 'vitest';
import { ProtocolError } from '../../protocol/errors.ts';
import { type SignedHandleClaim, buildHandleClaim } from '../../protocol/handles.ts';
import { type SignedHead, buildHead } from '../../protocol/heads.ts';
import { type CommitId, type ObjectId, type PseudonymId, hashBytes } from '../../protocol/ids.ts';
import { type SecretKey, pseudonymOf, secretKeyFrom } from '../../protocol/keys.ts';
import { type SignedNotice, buildNotice } from '../../protocol/notices.ts';
import { READ_CHUNK_BYTES } from '../read-buffers.ts';
import { registerDirectoryCases } from './directory-contract.ts';
import { registerPolicyCases } from './policy-contract.ts';
import { registerRetirementCases } from './retirement-contract.ts';
import type { HubStore, StoreLimits } from './hub-store.ts';

/** An open store, and how to let go of it (and of whatever it was kept in). */
export interface OpenedStore {
  readonly store: HubStore;
  close(): Promise<void>;
}

/** The limits every case opens the store with (small, so a case can reach them). */
export const CONTRACT_LIMITS: StoreLimits = { quotaBytes: 100, addressBytes: 200, diskBytes: 1000 };

const keys = [1, 2, 3].map((n) => secretKeyFrom(new Uint8Array(32).fill(n)));
const [aliceKey, bobKey, carolKey] = keys as [SecretKey, SecretKey, SecretKey];
const alice = pseudonymOf(aliceKey);
const bob = pseudonymOf(bobKey);

const bytesOf = (text: string) => new TextEncoder().encode(text);
function blob(text: string): { id: ObjectId; bytes: Uint8Array } {
  return { id: hashBytes(bytesOf(text)), bytes: bytesOf(text) };
}

/** A head of `key` at `seq`; `n` makes heads at one seq differ. */
function head(key: SecretKey, seq: number, n = 0): SignedHead {
  const tip = hashBytes(bytesOf(`commit ${seq} ${n}`)) as CommitId;
  return buildHead(key, { heads: [tip], seq, ts: 1_700_000_000_000 + n });
}

function notice(key: SecretKey, to: PseudonymId, n: number): SignedNotice {
  return buildNotice(key, { to, kind: 'mention', ids: [hashBytes(bytesOf(`object ${n}`))], ts: 1_700_000_000_000 + n });
}

function claim(key: SecretKey, name: string): SignedHandleClaim {
  return buildHandleClaim(key, { name, host: 'hub.example', ts: 1_700_000_000_000 });
}

/** The name of the error `promise` rejects with, or 'fulfilled'. */
async function outcome(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'fulfilled';
  } catch (error) {
    return error instanceof ProtocolError ? error.name : `not a ProtocolError: ${String(error)}`;
  }
}

async function readAll(chunks: Iterable<Uint8Array> | AsyncIterable<Uint8Array>): Promise<Uint8Array[]> {
  const read: Uint8Array[] = [];
  for await (const chunk of chunks) read.push(Uint8Array.from(chunk));
  return read;
}

/**
 * Runs every case of the contract against the store `open` makes (a fresh, empty one each call).
 * @param open opens a store with the given limits; its close lets go of the store and its data.
 */
export function runHubStoreContract(name: string, open: (limits: StoreLimits) => Promise<OpenedStore>): void {
  describe(`HubStore contract: ${name}`, () => {
    /** Runs `body` on a fresh store, closing it whatever happens. */
    const withStore = (title: string, body: (store: HubStore) => Promise<void>) =>
      test(title, async () => {
        const opened = await open(CONTRACT_LIMITS);
        try {
          await body(opened.store);
        } finally {
          await opened.close();
        }
      });

    registerBlobCases(withStore);
    registerHeadCases(withStore);
    registerRecordCases(withStore);
    registerLedgerCases(withStore);
    registerPolicyCases(withStore);
    registerRetirementCases(withStore);
    registerDirectoryCases(withStore);
  });
}

export type WithStore = (title: string, body: (store: HubStore) => Promise<void>) => void;

function registerBlobCases(withStore: WithStore): void {
  withStore('blobs: put is idempotent (created, then held); concurrent puts of one blob succeed', async ({ blobs }) => {
    const { id, bytes } = blob('hello');
    expect(await blobs.has(id)).toBe(false);
    expect(await blobs.find(id)).toBeUndefined();
    expect(await blobs.openRead(id)).toBeUndefined();
    expect(await blobs.put(id, bytes)).toBe('created');
    expect(await blobs.put(id, bytes)).toBe('held');
    expect(await blobs.has(id)).toBe(true);
    const other = blob('racing');
    const outcomes = await Promise.all(Array.from({ length: 5 }, () => blobs.put(other.id, other.bytes)));
    expect(outcomes).toContain('created');
    expect(await blobs.find(other.id)).toEqual(other.bytes);
  });

  withStore('blobs: read back byte-exact, whole and as chunks of at most READ_CHUNK_BYTES', async ({ blobs }) => {
    const big = new Uint8Array(2 * READ_CHUNK_BYTES + 123).map((_, i) => (i * 31 + 7) % 256);
    const id = hashBytes(big);
    const empty = blob('');
    await blobs.put(id, big);
    await blobs.put(empty.id, empty.bytes);
    expect(await blobs.find(id)).toEqual(big);
    const reader = (await blobs.openRead(id))!;
    expect(reader.size).toBe(big.length);
    const chunks = await readAll(reader.chunks);
    for (const chunk of chunks) expect(chunk.length).toBeLessThanOrEqual(READ_CHUNK_BYTES);
    expect(Buffer.concat(chunks)).toEqual(Buffer.from(big));
    const none = (await blobs.openRead(empty.id))!;
    expect(none.size).toBe(0);
    expect(Buffer.concat(await readAll(none.chunks)).length).toBe(0);
    const dropped = (await blobs.openRead(id))!;
    await dropped.close();
  });
}

function registerHeadCases(withStore: WithStore): void {
  withStore('heads: compare-and-set on seq, StaleHead on an equal or lower seq', async ({ heads }) => {
    expect((await heads.putHead(head(aliceKey, 2))).seq).toBe(1);
    expect(await outcome(heads.putHead(head(aliceKey, 2, 1)))).toBe('StaleHead');
    expect(await outcome(heads.putHead(head(aliceKey, 1)))).toBe('StaleHead');
    const newer = head(aliceKey, 3);
    expect((await heads.putHead(newer)).seq).toBe(2);
    const found = await heads.findHeads([alice, bob]);
    expect([...found.keys()]).toEqual([alice]);
    expect(found.get(alice)!.signed.bytes).toEqual(newer.bytes);
    expect(await heads.lastSeq()).toBe(2);
  });

  withStore('heads: of N concurrent puts at one seq exactly one wins, the rest are StaleHead', async ({ heads }) => {
    await heads.putHead(head(aliceKey, 1));
    const racing = Array.from({ length: 8 }, (_, n) => head(aliceKey, 5, n));
    const outcomes = await Promise.all(racing.map((h) => outcome(heads.putHead(h))));
    expect(outcomes.filter((o) => o === 'fulfilled')).toHaveLength(1);
    expect(outcomes.filter((o) => o === 'StaleHead')).toHaveLength(7);
    const winner = racing[outcomes.indexOf('fulfilled')]!;
    expect((await heads.findHeads([alice])).get(alice)!.signed.bytes).toEqual(winner.bytes);
    expect(await heads.lastSeq()).toBe(2);
  });

  withStore('change log: pages in order from a cursor, current heads only, none past the end', async ({ heads }) => {
    const puts = [
      head(aliceKey, 1),
      head(bobKey, 1),
      head(carolKey, 1),
      head(aliceKey, 2),
      head(bobKey, 2),
      head(carolKey, 9),
    ];
    for (const h of puts) await heads.putHead(h);
    // Superseded changes are left out, their numbers kept: alice's 4, bob's 5, carol's 6.
    const seen: number[] = [];
    let since = 0;
    for (let page = 0; page < 10; page++) {
      const { changes, next } = await heads.listChanges({ since, limit: 2 });
      if (changes.length === 0) {
        expect(next).toBe(since);
        break;
      }
      for (const c of changes) expect(c.seq).toBeGreaterThan(since);
      seen.push(...changes.map((c) => c.seq));
      since = next;
    }
    expect(seen).toEqual([4, 5, 6]);
    expect(await heads.listChanges({ since: 6, limit: 10 })).toEqual({ changes: [], next: 6 });
    expect(await heads.listChanges({ since: 99, limit: 10 })).toEqual({ changes: [], next: 99 });
    const all = await heads.listChanges({ since: 0, limit: 10 });
    expect(all.changes.map((c) => c.signed.bytes)).toEqual([puts[3]!.bytes, puts[4]!.bytes, puts[5]!.bytes]);
    expect(all.next).toBe(6);
    expect(await heads.lastSeq()).toBe(6);
  });

  withStore('fan-out: a subscriber hears each accepted head once readable, never a refused one', async ({ heads }) => {
    const heard: number[] = [];
    const readable: Promise<boolean>[] = [];
    const unsubscribe = heads.subscribe((change) => {
      heard.push(change.seq);
      // Asked at once, inside the callback: the change must already be there to read.
      const author = change.signed.head.author;
      readable.push(heads.findHeads([author]).then((found) => found.get(author)?.seq === change.seq));
      const listed = heads.listChanges({ since: change.seq - 1, limit: 1 });
      readable.push(listed.then((page) => page.changes[0]?.seq === change.seq));
    });
    await heads.putHead(head(aliceKey, 1));
    await heads.putHead(head(bobKey, 1));
    await outcome(heads.putHead(head(aliceKey, 1, 1)));
    expect(heard).toEqual([1, 2]);
    expect(await Promise.all(readable)).toEqual([true, true, true, true]);
    unsubscribe();
    await heads.putHead(head(aliceKey, 2));
    expect(heard).toEqual([1, 2]);
  });
}

function registerRecordCases(withStore: WithStore): void {
  withStore('handles: first claim wins; the holder again is held, another author HandleTaken', async ({ handles }) => {
    expect(await handles.findClaim('alice')).toBeUndefined();
    expect(await handles.putClaim(claim(aliceKey, 'alice'))).toBe('created');
    expect(await handles.putClaim(claim(aliceKey, 'alice'))).toBe('held');
    expect(await outcome(handles.putClaim(claim(bobKey, 'alice')))).toBe('HandleTaken');
    expect((await handles.findClaim('alice'))!.claim.author).toBe(alice);
  });

  withStore('handles: of concurrent claims of one name by different authors exactly one wins', async ({ handles }) => {
    const racing = keys.map((key) => claim(key, 'popular'));
    const outcomes = await Promise.all(racing.map((c) => outcome(handles.putClaim(c))));
    expect(outcomes.filter((o) => o === 'fulfilled')).toHaveLength(1);
    expect(outcomes.filter((o) => o === 'HandleTaken')).toHaveLength(keys.length - 1);
    const winner = racing[outcomes.indexOf('fulfilled')]!;
    expect((await handles.findClaim('popular'))!.bytes).toEqual(winner.bytes);
  });

  withStore('inbox: the same notice is kept once; paging by cursor never skips or repeats', async ({ inbox }) => {
    const toAlice = Array.from({ length: 7 }, (_, n) => notice(bobKey, alice, n));
    expect(await inbox.putNotice(toAlice[0]!)).toBe('created');
    expect(await inbox.putNotice(toAlice[0]!)).toBe('held');
    await inbox.putNotice(notice(aliceKey, bob, 100));
    for (const n of toAlice.slice(1)) await inbox.putNotice(n);
    const listed: SignedNotice[] = [];
    let cursor = 0;
    for (let page = 0; page < 10; page++) {
      const notices = await inbox.listNotices(alice, { cursor, limit: 3 });
      if (notices.length === 0) break;
      expect(notices.length).toBeLessThanOrEqual(3);
      for (const n of notices) expect(n.seq).toBeGreaterThan(cursor);
      listed.push(...notices.map((n) => n.signed));
      cursor = notices.at(-1)!.seq;
    }
    expect(listed.map((n) => n.bytes)).toEqual(toAlice.map((n) => n.bytes));
    expect((await inbox.listNotices(bob, { cursor: 0, limit: 10 })).map((n) => n.signed.notice.from)).toEqual([alice]);
  });

  withStore('inbox: paging while notices arrive concurrently gets each one once', async ({ inbox }) => {
    const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
    const sent: string[] = [];
    const listed: string[] = [];
    let cursor = 0;
    // Waves of concurrent appends, a reader paging through each as it lands: a store that lists a notice
    // before one with a lower seq is visible makes the reader's cursor pass that one, which is then missed.
    for (let wave = 0; wave < 4; wave++) {
      const notices = Array.from({ length: 20 }, (_, n) => notice(bobKey, alice, wave * 100 + n));
      sent.push(...notices.map((n) => hex(n.bytes)));
      const acknowledged = Promise.all(notices.map((n) => inbox.putNotice(n)));
      let done = false;
      void acknowledged.then(() => (done = true));
      for (;;) {
        const finished = done;
        const page = await inbox.listNotices(alice, { cursor, limit: 3 });
        listed.push(...page.map((n) => hex(n.signed.bytes)));
        cursor = page.at(-1)?.seq ?? cursor;
        if (finished && page.length === 0) break;
        // A turn of the event loop between pages, so appends (the file store's fsyncs) land meanwhile.
        await new Promise((resolve) => setImmediate(resolve));
      }
      expect(await acknowledged).toEqual(notices.map(() => 'created'));
    }
    expect(listed.toSorted()).toEqual(sent.toSorted());
  });
}

function registerLedgerCases(withStore: WithStore): void {
  withStore('quota: a blob is charged once, to its first uploader, even concurrently', async ({ quota }) => {
    const { id } = blob('charged');
    expect(await quota.isCharged(id)).toBe(false);
    await quota.charge(alice, id, 10);
    await quota.charge(alice, id, 10);
    await quota.charge(bob, id, 10);
    expect([await quota.usedBy(alice), await quota.usedBy(bob), await quota.isCharged(id)]).toEqual([10, 0, true]);
    const racing = blob('racing charge');
    await Promise.all([alice, alice, bob].map((author) => quota.charge(author, racing.id, 20)));
    expect((await quota.usedBy(alice)) + (await quota.usedBy(bob))).toBe(30);
  });

  withStore('quota: a reservation past the limit is QuotaExceeded; release gives room back', async ({ quota }) => {
    await quota.charge(alice, blob('old').id, 60);
    const release = await quota.reserve(alice, 30);
    await expect(quota.reserve(alice, 11)).rejects.toThrow(expect.objectContaining({ name: 'QuotaExceeded' }));
    await expect(quota.reserve(bob, 100)).resolves.toBeTypeOf('function');
    await release();
    await release();
    await expect(quota.reserve(alice, 40)).resolves.toBeTypeOf('function');
  });

  withStore('racing reservations of one key hold no more than its limit; charges racing them all count', async (s) => {
    const outcomes = await Promise.allSettled(Array.from({ length: 25 }, () => s.addresses.reserve('10.0.0.9/24', 10)));
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(20);
    for (const o of outcomes) if (o.status === 'rejected') expect(o.reason.name).toBe('AddressQuotaExceeded');
    await Promise.all(Array.from({ length: 30 }, (_, i) => s.addresses.charge('10.0.0.9/24', i % 2 ? 3 : -1)));
    expect(await s.addresses.usedBy('10.0.0.9/24')).toBe(30);
  });

  withStore('addresses and disk: AddressQuotaExceeded, refunds, HubFull', async (store) => {
    const { addresses, disk } = store;
    await addresses.charge('10.0.0.0/24', 150);
    await addresses.charge('10.0.0.0/24', -50);
    expect(await addresses.usedBy('10.0.0.0/24')).toBe(100);
    const held = await addresses.reserve('10.0.0.0/24', 100);
    const exceeded = expect.objectContaining({ name: 'AddressQuotaExceeded' });
    await expect(addresses.reserve('10.0.0.0/24', 1)).rejects.toThrow(exceeded);
    await held();
    await expect((await addresses.reserve('10.0.0.0/24', 100))()).resolves.toBeUndefined();
    expect(await disk.used()).toBe(0);
    await disk.add(400);
    const holding = await disk.reserve(600);
    await expect(disk.reserve(1)).rejects.toThrow(expect.objectContaining({ name: 'HubFull' }));
    await holding();
    expect(await disk.used()).toBe(400);
  });

  withStore('rates: of 10 concurrent takes from a bucket of 5, exactly 5 pass; the rest wait', async ({ rates }) => {
    const rate = { perSecond: 0.001, burst: 5 }; // a token per 1,000 s: none comes back during the case
    const waits = await Promise.all(Array.from({ length: 10 }, () => rates.take('ip 198.51.100.1', rate)));
    expect(waits.filter((w) => w === 0)).toHaveLength(5);
    for (const wait of waits.filter((w) => w > 0)) expect(wait).toBeGreaterThan(900_000);
    expect(await rates.take('ip 198.51.100.2', rate)).toBe(0);
    for (let i = 0; i < 8; i++) expect(await rates.take('ip 198.51.100.1', { perSecond: 0, burst: 1 })).toBe(0);
  });

  withStore(
    'seen requests: a nonce is good once per author, even concurrently; before `since`, Replayed',
    async ({ seen }) => {
      const ts = Math.max(seen.since, Date.now());
      const nonce = '0f'.repeat(16);
      const admits = await Promise.all(Array.from({ length: 6 }, () => outcome(seen.admit(alice, nonce, ts))));
      expect(admits.sort()).toEqual(['Replayed', 'Replayed', 'Replayed', 'Replayed', 'Replayed', 'fulfilled']);
      expect(await outcome(seen.admit(bob, nonce, ts))).toBe('fulfilled');
      expect(await outcome(seen.admit(alice, 'ab'.repeat(16), seen.since - 1))).toBe('Replayed');
    },
  );

  withStore('health: names what holds the data, ok while it answers', async (store) => {
    expect(await store.health()).toEqual({ kind: expect.stringMatching(/^[a-z0-9]+(\+[a-z0-9]+)?$/), ok: true });
  });

  withStore('mirror: per-peer cursors start at 0 and keep what is saved; verified commits stay', async ({ mirror }) => {
    const a = await mirror.openCursor('https://a.example');
    expect(a.value).toBe(0);
    await a.save(7);
    expect(a.value).toBe(7);
    expect((await mirror.openCursor('https://a.example')).value).toBe(7);
    expect((await mirror.openCursor('https://b.example')).value).toBe(0);
    const id = hashBytes(bytesOf('verified commit')) as CommitId;
    const verified = await mirror.openVerified();
    expect(await verified.has(id)).toBe(false);
    await verified.add([id]);
    expect(await verified.has(id)).toBe(true);
    expect(await (await mirror.openVerified()).has(id)).toBe(true);
  });
}
