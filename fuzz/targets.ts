/**
 * One fuzz target per decoder that takes bytes from the network or a file.
 * Each target turns the fuzzer's bytes into what the decoder is given (bytes,
 * headers, an event stream cut into chunks, a hub's answer), calls the real
 * code, and for accepted input checks what the decoder promises (a value of
 * the right shape; encode(decode(b)) === b where there is an encoder). It
 * throws whatever the decoder throws: the harness (harness.ts) decides
 * whether that is one of the target's named errors.
 */
import { decodeBlobBatch, encodeBlobBatch } from '../src/protocol/batch.ts';
import { bytesEqual, fromHex } from '../src/protocol/bytes.ts';
import { decodeCanonical, encodeCanonical } from '../src/protocol/canonical.ts';
import { decodeCommit, verifyCommits } from '../src/protocol/commits.ts';
import { dmPublicKeyOf, openDm } from '../src/protocol/dm.ts';
import { PROTOCOL_ERROR_NAMES, ProtocolError, type ProtocolErrorName } from '../src/protocol/errors.ts';
import { buildFeedLog, decodeFeedLog } from '../src/protocol/feed-log.ts';
import { decodeHandleClaim } from '../src/protocol/handles.ts';
import { decodeHead } from '../src/protocol/heads.ts';
import { type ObjectId, hashBytes } from '../src/protocol/ids.ts';
import { nobleVerify, pseudonymOf } from '../src/protocol/keys.ts';
import { decodeNotice, decodeNoticeJson } from '../src/protocol/notices.ts';
import { decodePost } from '../src/protocol/objects.ts';
import {
  SEAL_MAGIC,
  decodePrivateIndex,
  encodePrivateIndex,
  openPrivate,
  sealPrivate,
} from '../src/protocol/private-seal.ts';
import { checkSignedRequest } from '../src/protocol/request-auth.ts';
import type { SignedRecord } from '../src/protocol/signed.ts';
import { mkdtempSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { IncomingMessage } from 'node:http';
import { readJsonBody } from '../src/hub/http/http.ts';
import { authorsFromQuery, idsFromBody } from '../src/hub/http/id-lists.ts';
import { FileMirrorCursor as MirrorCursor } from '../src/hub/store/files/mirror-cursor.ts';
import { PeerClient, PeerError } from '../src/hub/mirror/peer-client.ts';
import { decodeBackup, encodeBackup } from '../workers/keys/backup.ts';
import { appendToPacks, findPacked, packedBytes } from '../workers/store/commit-packs.ts';
import type { PackBytesRow, PackRow } from '../workers/store/db.ts';
import { CoreError, type CoreErrorName } from '../workers/errors.ts';
import { HubError, type HubErrorName } from '../src/hub-client/errors.ts';
import { runEventStream } from '../workers/net/event-stream.ts';
import { EventStreamParser, type ServerEvent } from '../src/hub-client/event-stream-parser.ts';
import { resolveHandle } from '../workers/feed/handles.ts';
import { createHubClient } from '../src/hub-client/client.ts';
import * as seeds from './seeds.ts';
import { dmPlaintexts, sealDmPlaintext } from './dm-seal.ts';
import { MemoryPackStore } from './pack-store.ts';

export interface Target {
  readonly name: string;
  /** Valid inputs the mutators start from. */
  readonly seeds: () => Promise<readonly Uint8Array[]>;
  /**
   * Feeds `input` to the decoder (`aux`: extra choices, such as where a
   * stream is cut into chunks). Returns when the decoder accepted; throws
   * what it threw, or a FuzzFailure when an accepted value breaks a promise.
   */
  run(input: Uint8Array, aux: readonly number[]): unknown;
  /** True for the errors this decoder documents. */
  named(error: unknown): boolean;
}

/** An accepted input whose value breaks what the decoder promises (a round trip, a shape). */
export class FuzzFailure extends Error {
  override readonly name = 'FuzzFailure';
}

/**
 * Thrown by a target for input that is another layer's to refuse
 * (not JSON where JSON was already parsed); counted as refused.
 */
export class NotForThisTarget extends Error {
  override readonly name = 'NotForThisTarget';
}

function expectThat(ok: boolean, what: string): void {
  if (!ok) throw new FuzzFailure(what);
}

const protocolNamed =
  (names?: readonly ProtocolErrorName[]) =>
  (error: unknown): boolean =>
    error instanceof ProtocolError && (names ?? PROTOCOL_ERROR_NAMES).includes(error.name);

/** Every CoreErrorName, at run time. */
const CORE_ONLY = [
  'Offline',
  'HubUnavailable',
  'Conflict',
  'Aborted',
  'Locked',
  'WrongPassphrase',
  'BackupTampered',
  'BackupUnreadable',
  'StorageFull',
  'StorageError',
  'NoDmKey',
  'NoHub',
  'Unverified',
] as const satisfies readonly CoreErrorName[];

const coreNamed =
  (names: readonly CoreErrorName[]) =>
  (error: unknown): boolean =>
    error instanceof CoreError && names.includes(error.name);
/** The hub client's errors (src/hub-client/errors.ts): the hub's names, Offline, HubUnavailable, and so on. */
const hubNamed =
  (names: readonly HubErrorName[]) =>
  (error: unknown): boolean =>
    error instanceof HubError && names.includes(error.name);
const HUB_ONLY = [
  'Offline',
  'HubUnavailable',
  'Aborted',
  'AnswerTooLarge',
  'AnswerTooSlow',
] as const satisfies readonly HubErrorName[];

const FORM: ProtocolErrorName[] = ['DecodeError', 'NonCanonical', 'InvalidField', 'MalformedId', 'TooLarge'];

/**
 * A signed record's promises: the bytes are the canonical encoding
 * of fields + sig, and the signed message is that of the fields.
 */
function checkSigned(input: Uint8Array, signed: SignedRecord): void {
  expectThat(bytesEqual(encodeCanonical({ ...signed.fields, sig: signed.sig }), input), 'encode(decode(b)) !== b');
  expectThat(
    bytesEqual(signed.message, encodeCanonical(signed.fields)),
    'the signed message is not the canonical bytes of the fields',
  );
}

const bytesTarget = (
  name: string,
  get: () => readonly Uint8Array[] | Promise<readonly Uint8Array[]>,
  run: Target['run'],
  named: Target['named'],
): Target => ({
  name,
  seeds: async () => get(),
  run,
  named,
});

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

/** Cut points for a stream from `aux`: 1 to 8 chunks. */
function chunksOf(bytes: Uint8Array, aux: readonly number[]): Uint8Array[] {
  const cuts = [...new Set(aux.map((n) => (bytes.length ? n % (bytes.length + 1) : 0)))].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let from = 0;
  for (const cut of [...cuts, bytes.length]) {
    if (cut < from) continue;
    out.push(bytes.slice(from, cut));
    from = cut;
  }
  return out;
}

function streamOf(chunks: readonly Uint8Array[]): ReadableStream<Uint8Array> {
  let i = 0;
  return new ReadableStream({
    pull(controller) {
      if (i < chunks.length) controller.enqueue(chunks[i++]!);
      else controller.close();
    },
  });
}

/** Splits `STATUS\nbody` (seeds.answerText); a status fetch cannot produce becomes 200. */
function answerOf(input: Uint8Array): { status: number; body: Uint8Array | null } {
  const nl = input.indexOf(0x0a);
  const n = nl < 0 ? NaN : Number(text(input.subarray(0, nl)));
  const status = Number.isInteger(n) && n >= 200 && n <= 599 ? n : 200;
  return { status, body: [204, 205, 304].includes(status) ? null : input.subarray(nl + 1) };
}

const fakeFetch =
  (input: Uint8Array, aux: readonly number[], contentType = 'application/json') =>
  async (): Promise<Response> => {
    const { status, body } = answerOf(input);
    return new Response(body && streamOf(chunksOf(body, aux)), { status, headers: { 'content-type': contentType } });
  };

/** Runs `fn` with the global fetch (what peer-client.ts uses) answering `answer`. */
async function withGlobalFetch<T>(answer: () => Promise<Response>, fn: () => Promise<T>): Promise<T> {
  const saved = globalThis.fetch;
  globalThis.fetch = answer as typeof fetch;
  try {
    return await fn();
  } finally {
    globalThis.fetch = saved;
  }
}

const never = new AbortController().signal;

/** A folder for the mirror cursor target's files, made on first use. */
let cursorDir: string | undefined;
const PEER = 'https://peer.example';
const utf8Bytes = (t: string) => new TextEncoder().encode(t);
const BOB_ID = pseudonymOf(seeds.BOB);

/** What openDm refuses a well-sealed message with (a sealed one that does not open adds Undecryptable). */
const DM_MESSAGE_REFUSALS = [
  'TooLarge',
  'DecodeError',
  'NonCanonical',
  'InvalidField',
  'MalformedId',
  'BadSignature',
  'Resealed',
  'WrongRecipient',
  'WrongSender',
] as const;

export const TARGETS: readonly Target[] = [
  bytesTarget(
    'canonical',
    () => seeds.canonicalValues,
    (input) => {
      const value = decodeCanonical(input);
      expectThat(bytesEqual(encodeCanonical(value), input), 'encode(decode(b)) !== b');
    },
    protocolNamed(['DecodeError', 'NonCanonical']),
  ),

  bytesTarget(
    'commit',
    () => seeds.commits.map((c) => c.bytes),
    (input) => {
      const signed = decodeCommit(input);
      expectThat(signed.id === hashBytes(input), 'id is not the hash of the bytes');
      checkSigned(input, signed.signed);
    },
    protocolNamed([
      'HashMismatch',
      'TooLarge',
      'DecodeError',
      'NonCanonical',
      'InvalidField',
      'MalformedId',
      'UnknownOp',
      'TooManyOps',
      'BadSeq',
    ]),
  ),

  bytesTarget(
    'commit-verify',
    () => seeds.commits.map((c) => c.bytes),
    async (input, aux) => {
      // The batch path: never throws for bad input, each refusal named.
      const id = aux[0]! % 4 === 0 ? ('00'.repeat(32) as ObjectId) : hashBytes(input);
      const [result] = await verifyCommits([{ id, bytes: input }], nobleVerify).catch((error: unknown) => {
        throw new FuzzFailure(`verifyCommits threw (it returns each refusal): ${String(error)}`);
      });
      expectThat(result !== undefined, 'no result');
      if (!result!.ok) throw result!.error; // counted by its name; an unnamed one fails
      checkSigned(input, result!.commit.signed);
    },
    protocolNamed(),
  ),

  bytesTarget(
    'head',
    () => seeds.heads.map((h) => h.bytes),
    (input) => checkSigned(input, decodeHead(input).signed),
    protocolNamed([...FORM, 'BadSeq']),
  ),

  bytesTarget(
    'handle-claim',
    () => seeds.claims.map((c) => c.bytes),
    (input) => checkSigned(input, decodeHandleClaim(input).signed),
    protocolNamed(FORM),
  ),

  bytesTarget(
    'notice',
    () => seeds.notices.map((n) => n.bytes),
    (input) => checkSigned(input, decodeNotice(input).signed),
    protocolNamed(FORM),
  ),

  bytesTarget(
    'notice-json',
    () => seeds.noticeJsons,
    (input) => {
      // An inbox page's notice as the hub client parsed it (any JSON
      // value); text that is not JSON is the hub client's to refuse.
      let json: unknown;
      try {
        json = JSON.parse(text(input));
      } catch {
        throw new NotForThisTarget();
      }
      const signed = decodeNoticeJson(json);
      expectThat(
        bytesEqual(signed.bytes, encodeCanonical({ ...signed.notice, sig: signed.sig })),
        'the notice is not its fields + sig',
      );
    },
    protocolNamed(FORM),
  ),

  bytesTarget(
    'feed-log',
    () => seeds.feedLogs.map((l) => l.bytes),
    (input) => {
      const log = decodeFeedLog(input);
      expectThat(bytesEqual(buildFeedLog(log.value).bytes, input), 'encode(decode(b)) !== b');
    },
    protocolNamed(['HashMismatch', ...FORM]),
  ),

  bytesTarget(
    'post',
    () => seeds.posts.map((p) => p.bytes),
    (input) => {
      const post = decodePost(input);
      expectThat(bytesEqual(encodeCanonical(post.value), input), 'encode(decode(b)) !== b');
    },
    protocolNamed(['HashMismatch', ...FORM]),
  ),

  bytesTarget(
    'blob-batch',
    () => seeds.blobBatches,
    (input) => {
      expectThat(bytesEqual(encodeBlobBatch(decodeBlobBatch(input)), input), 'encode(decode(b)) !== b');
    },
    protocolNamed(['DecodeError']),
  ),

  bytesTarget(
    'commit-pack',
    () => seeds.blobBatches,
    async (input, aux) => {
      // Commits (a blob batch's frames) packed and read back; then a pack row damaged on disk is read again.
      const entries = [...new Map(decodeBlobBatch(input).map((e) => [e.id, e])).values()];
      if (entries.length === 0) throw new NotForThisTarget();
      const author = pseudonymOf(seeds.ALICE);
      const packs = new MemoryPackStore<PackRow>();
      const packBytes = new MemoryPackStore<PackBytesRow>();
      const rows = entries.map((e, i) => ({ id: e.id, seq: 1 + i * (1 + (aux[0]! % 3)), bytes: e.bytes }));
      const cut = aux[1]! % (rows.length + 1);
      // In two appends, as live arrivals come: the second fills the newest pack before starting another.
      await appendToPacks(packs as never, packBytes as never, author, rows.slice(0, cut));
      await appendToPacks(packs as never, packBytes as never, author, rows.slice(cut));
      const ids = rows.map((r) => r.id);
      const packed = await findPacked(packs, author, ids);
      expectThat(
        ids.every((id, i) => packed.get(id)?.seq === rows[i]!.seq),
        'a packed commit lost or its seq changed',
      );
      const back = await packedBytes(packBytes, packed);
      expectThat(
        rows.every((r) => bytesEqual(back.get(r.id) ?? new Uint8Array([1]), r.bytes)),
        'read back other bytes than were packed',
      );
      // A damaged bytes row (short bytes, ends past them or out of order) reads as some bytes or none, never a throw.
      for (const { value } of packBytes.rows.values()) {
        const damaged: PackBytesRow = {
          ...value,
          bytes: value.bytes.subarray(0, aux[2]! % (value.bytes.length + 1)),
          ends: value.ends.map((e, i) => ((aux[3]! >> i) & 1 ? e * 3 + 1 : e)),
        };
        await packBytes.put(damaged);
      }
      await packedBytes(packBytes, packed);
    },
    protocolNamed(['DecodeError']),
  ),

  bytesTarget(
    'private-seal',
    () => seeds.sealedPrivate,
    (input) => {
      const plain = openPrivate(seeds.privateKeys.aeadKey, input);
      const nonce = input.subarray(SEAL_MAGIC.length, SEAL_MAGIC.length + 24);
      expectThat(bytesEqual(sealPrivate(seeds.privateKeys.aeadKey, nonce, plain), input), 'seal(open(b)) !== b');
    },
    protocolNamed(['DecodeError', 'BadCiphertext']),
  ),

  bytesTarget(
    'private-index',
    () => seeds.privateIndexes,
    (input) => {
      expectThat(bytesEqual(encodePrivateIndex(decodePrivateIndex(input)), input), 'encode(decode(b)) !== b');
    },
    protocolNamed(['DecodeError', 'NonCanonical', 'InvalidField', 'MalformedId']),
  ),

  bytesTarget(
    'dm',
    () => seeds.dms.map((d) => d.bytes),
    async (input) => {
      const message = await openDm(input, seeds.BOB, nobleVerify, { from: pseudonymOf(seeds.ALICE) });
      expectThat(
        message.to === BOB_ID && message.to_key === dmPublicKeyOf(seeds.BOB),
        'opened a message for someone else',
      );
    },
    protocolNamed([...DM_MESSAGE_REFUSALS, 'Undecryptable']),
  ),

  bytesTarget(
    'dm-plaintext',
    () => dmPlaintexts,
    async (input) => {
      // The signed message inside a seal: reached only by mutating it before sealing (a sender's bytes).
      const message = await openDm(sealDmPlaintext(input), seeds.BOB, nobleVerify, { from: pseudonymOf(seeds.ALICE) });
      expectThat(message.to === BOB_ID, 'opened a message for someone else');
    },
    protocolNamed(DM_MESSAGE_REFUSALS),
  ),

  bytesTarget(
    'request-auth',
    () => seeds.requests,
    async (input) => {
      const split = input.findIndex((b, i) => b === 0x0a && input[i + 1] === 0x0a);
      const head = text(split < 0 ? input : input.subarray(0, split));
      const body = split < 0 ? new Uint8Array() : input.subarray(split + 2);
      const [requestLine = '', ...lines] = head.split('\n');
      const space = requestLine.indexOf(' ');
      const headers = new Map<string, string>();
      for (const line of lines) {
        const colon = line.indexOf(':');
        if (colon <= 0) continue;
        const name = line.slice(0, colon).toLowerCase();
        const value = line.slice(colon + 1).trim();
        // as Node joins repeated headers
        headers.set(name, headers.has(name) ? `${headers.get(name)}, ${value}` : value);
      }
      const facts = await checkSignedRequest(
        (name) => headers.get(name),
        {
          method: space < 0 ? requestLine : requestLine.slice(0, space),
          path: space < 0 ? '/' : requestLine.slice(space + 1),
          body,
        },
        seeds.NOW,
        nobleVerify,
      );
      expectThat(facts.author === pseudonymOf(seeds.ALICE), 'accepted a request signed by no one we know');
    },
    protocolNamed(['Unauthenticated', 'ClockSkew', 'BadSignature']),
  ),

  bytesTarget(
    'backup',
    seeds.backups,
    async (input) => {
      const contents = await decodeBackup(input, seeds.BACKUP_PASSPHRASE);
      const header = decodeCanonical(input) as {
        aead: { nonce: string };
        kdf: { salt: string; N: number; r: number; p: number };
      };
      const again = await encodeBackup(
        contents,
        seeds.BACKUP_PASSPHRASE,
        { salt: fromHex(header.kdf.salt), nonce: fromHex(header.aead.nonce) },
        header.kdf,
      );
      expectThat(bytesEqual(again, input), 'encode(decode(b)) !== b');
    },
    coreNamed(['BackupUnreadable', 'WrongPassphrase', 'BackupTampered']),
  ),

  bytesTarget(
    'event-stream',
    () => seeds.eventStreams,
    async (input, aux) => {
      // The worker's reader (runEventStream over fetch), the stream
      // cut into chunks anywhere, even inside a UTF-8 sequence.
      const events: ServerEvent[] = [];
      const stop = new AbortController();
      const errors: (CoreError | HubError)[] = [];
      await runEventStream({
        fetch: fakeFetch(seeds.answerText(200, input), aux, 'text/event-stream'),
        url: 'https://hub.example/v1/stream',
        signal: stop.signal,
        onEvent: (e) => events.push(e),
        onError: (e) => {
          errors.push(e);
          stop.abort();
        },
        backoff: { baseMs: 0, maxMs: 0 },
      });
      // Anything the reader threw would surface here as Offline "event stream dropped: <name>".
      expectThat(
        errors.length === 1 && errors[0]!.message === 'the event stream closed',
        `the stream ended with ${errors.map((e) => e.message).join()}`,
      );
      // Cutting the stream anywhere gives the events of the whole
      // text (a trailing lone CR may still be half of a CRLF).
      const whole = new EventStreamParser().push(new TextDecoder().decode(input));
      expectThat(JSON.stringify(whole) === JSON.stringify(events), 'events depend on where the stream was cut');
    },
    () => false,
  ),

  bytesTarget(
    'peer-stream',
    () => seeds.eventStreams.map((s) => seeds.answerText(200, s)),
    (input, aux) => {
      // Input: status line, then the stream.
      const client = new PeerClient('https://peer.example', never);
      let heard = 0;
      return withGlobalFetch(fakeFetch(input, aux, 'text/event-stream'), () =>
        client.follow(undefined, { opened() {}, heard: (n) => (heard += n) }),
      ).then(() => expectThat(Number.isSafeInteger(heard) && heard >= 0, 'heard a negative or odd count'));
    },
    (error) => error instanceof PeerError,
  ),

  bytesTarget(
    'peer-changes',
    () => seeds.changePages.map((p) => seeds.answerText(200, p)),
    (input, aux) => {
      const client = new PeerClient('https://peer.example', never);
      return withGlobalFetch(fakeFetch(input, aux), () => client.changes(0)).then((page) => {
        expectThat(
          Array.isArray(page.changes) && Number.isSafeInteger(page.next) && Number.isSafeInteger(page.last),
          'a page without changes, next and last',
        );
      });
    },
    (error) => error instanceof PeerError,
  ),

  bytesTarget(
    'peer-blobs',
    () => seeds.blobBatches.map((b) => seeds.answerText(200, b)),
    (input, aux) => {
      const client = new PeerClient('https://peer.example', never);
      const ids = seeds.commits.slice(0, 3).map((c) => c.id);
      return withGlobalFetch(fakeFetch(input, aux, 'application/octet-stream'), () => client.fetchBlobs(ids)).then(
        (found) => {
          for (const [id, bytes] of found)
            expectThat(ids.includes(id) && hashBytes(bytes) === id, 'a blob that is not what was asked');
        },
      );
    },
    (error) => error instanceof PeerError,
  ),

  bytesTarget(
    'handle-webfinger',
    () => seeds.webfingerAnswers,
    async (input, aux) => {
      // Resolving a handle: the hub's WebFinger answer (status line, then the body), then the signed claim inside it.
      const resolved = await resolveHandle(
        { hub: (origin) => createHubClient(origin, fakeFetch(input, aux)), verify: nobleVerify },
        `alice@${seeds.HOST}`,
      );
      expectThat(resolved.target === pseudonymOf(seeds.ALICE), 'resolved to a pseudonym that did not sign the claim');
    },
    (error) =>
      coreNamed([...PROTOCOL_ERROR_NAMES, ...CORE_ONLY])(error) ||
      hubNamed([...PROTOCOL_ERROR_NAMES, ...HUB_ONLY])(error) ||
      protocolNamed([
        'InvalidField',
        'NotFound',
        'BadSignature',
        'WrongAuthor',
        'WrongHost',
        'DecodeError',
        'NonCanonical',
        'MalformedId',
        'TooLarge',
      ])(error),
  ),

  bytesTarget(
    'hub-id-list',
    () => seeds.idLists,
    async (input, aux) => {
      // A hub's `{ ids }` body on /v1/blobs/missing and /batch (read as
      // the hub reads a request), or the text as ?authors= (a, b, ...).
      if (aux[0]! % 2) {
        const authors = authorsFromQuery(
          new URL(`https://hub.example/v1/heads?authors=${encodeURIComponent(text(input))}`),
        );
        return expectThat(new Set(authors).size === authors.length, 'authors not distinct');
      }
      const req = Object.assign(Readable.from([Buffer.from(input)]), { headers: {} }) as unknown as IncomingMessage;
      const ids = idsFromBody(await readJsonBody(req));
      expectThat(new Set(ids).size === ids.length, 'ids not distinct');
    },
    protocolNamed(['DecodeError', 'MalformedId', 'TooLarge']),
  ),

  bytesTarget(
    'mirror-cursor',
    () => seeds.cursorFiles,
    async (input) => {
      // A mirror's cursor file as it is on disk (edited by hand,
      // damaged): read as a cursor or as none (0), never a throw.
      cursorDir ??= mkdtempSync(join(tmpdir(), 'murmur-fuzz-cursor-'));
      await writeFile(join(cursorDir, `${hashBytes(utf8Bytes(PEER)).slice(0, 24)}.json`), input);
      const cursor = await MirrorCursor.open(cursorDir, cursorDir, PEER);
      expectThat(Number.isSafeInteger(cursor.value) && cursor.value >= 0, `the cursor is ${cursor.value}`);
    },
    () => false,
  ),

  bytesTarget(
    'hub-client',
    () => seeds.hubAnswers,
    async (input, aux) => {
      const hub = createHubClient('https://hub.example', fakeFetch(input, aux.slice(1)), (a) => a.fill(1));
      const sign = () => ({});
      const id = seeds.commits[0]!.id;
      switch ((aux[0] ?? 0) % 10) {
        case 0:
          return void (await hub.getBlob(id));
        case 1:
          return expectThat(Array.isArray(await hub.missingBlobs([id])), 'missing is not a list');
        case 2:
          return expectThat(Array.isArray(await hub.batchBlobs([id])), 'batch is not a list');
        case 3: {
          const { seq } = await hub.putHead(pseudonymOf(seeds.ALICE), seeds.heads[0]!.bytes);
          return expectThat(Number.isSafeInteger(seq), 'putHead answered without a seq');
        }
        case 4: {
          const heads = await hub.getHeads([pseudonymOf(seeds.ALICE)]);
          return expectThat(typeof heads === 'object' && heads !== null, 'heads is not an object');
        }
        case 5:
          return void (await hub.putHandle('alice', seeds.claims[0]!.bytes));
        case 6:
          return void (await hub.webfinger('acct:alice@hub.example'));
        case 7:
          return void (await hub.hubInfo());
        case 8:
          return void (await hub.postNotice(BOB_ID, seeds.notices[0]!.bytes));
        default: {
          const page = await hub.listInbox(BOB_ID, undefined, sign, seeds.NOW);
          return expectThat(
            Array.isArray(page.notices) && (page.next === undefined || typeof page.next === 'string'),
            'an inbox page without a list',
          );
        }
      }
      // A batch the hub framed badly is the frame decoder's DecodeError (batch.ts).
    },
    (error) => hubNamed([...PROTOCOL_ERROR_NAMES, ...HUB_ONLY])(error) || protocolNamed(['DecodeError'])(error),
  ),
];
