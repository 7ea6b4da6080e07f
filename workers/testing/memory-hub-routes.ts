/**
 * The in-memory hub's answer to each route of src/protocol/routes.ts, with
 * the checks and named errors of the real hub's routes (src/hub/routes/):
 * one method per route name, so a route missing here fails to compile.
 */
import { type BlobEntry, encodeBlobBatch } from '../../src/protocol/batch.ts';
import { fromUtf8 } from '../../src/protocol/bytes.ts';
import { ProtocolError } from '../../src/protocol/errors.ts';
import { decodeHandleClaim, hubOrigin, parseHandle, verifyHandleClaim } from '../../src/protocol/handles.ts';
import { type HeadJson, decodeHead, headToJson, verifyHead } from '../../src/protocol/heads.ts';
import { type ObjectId, hashBytes, isObjectId, parseObjectId, parsePseudonymId } from '../../src/protocol/ids.ts';
import type { Verify } from '../../src/protocol/keys.ts';
import { LIMITS } from '../../src/protocol/limits.ts';
import {
  INBOX_POLICY_LIMITS,
  type SignedInboxPolicy,
  admitsSender,
  decodeInboxPolicy,
  verifyInboxPolicy,
} from '../../src/protocol/inbox-policy.ts';
import { type SignedNotice, decodeNotice, verifyNotice } from '../../src/protocol/notices.ts';
import { decodeRetirement, verifyRetirement } from '../../src/protocol/retirement.ts';
import { type SignedListing, decodeListing, listingMatches, verifyListing } from '../../src/protocol/listing.ts';
import { REQUEST_SKEW_MS, checkSignedRequest } from '../../src/protocol/request-auth.ts';
import {
  type ChangeJson,
  MAX_BATCH_IDS,
  MAX_IDS_PER_REQUEST,
  MURMUR_LINK_TYPE,
  type RouteName,
  WEBFINGER_CLAIM,
  WEBFINGER_PSEUDONYM,
} from '../../src/protocol/routes.ts';
import { MemoryStreams } from './memory-hub-streams.ts';

export interface MemoryRequest {
  readonly url: URL;
  readonly params: Readonly<Record<string, string>>;
  readonly headers: Headers;
  readonly body: Uint8Array;
  readonly signal?: AbortSignal;
}

export interface MemoryState {
  readonly heads: Map<string, HeadJson>;
  readonly blobs: Map<string, Uint8Array>;
  /** host[:port] of this hub, what handle claims and signed requests must name. */
  readonly host: string;
  readonly now: () => number;
  readonly verify: Verify;
}

/** As the real hub pages them (routes/heads.ts, routes/inbox.ts). */
const CHANGES_PAGE = 500;
const INBOX_PAGE = 200;

type Routes = { readonly [name in RouteName]: (request: MemoryRequest) => Promise<Response> };

export class MemoryRoutes implements Routes {
  readonly #state: MemoryState;
  /** Every accepted head, in order; superseded ones stay (the change log lists only current ones). */
  readonly #log: ChangeJson[] = [];
  readonly #handles = new Map<string, { author: string; host: string; bytes: Uint8Array }>();
  readonly #inbox = new Map<string, { seq: number; signed: SignedNotice }[]>();
  readonly #noticeIds = new Set<string>();
  readonly #policies = new Map<string, SignedInboxPolicy>();
  readonly #retired = new Set<string>();
  readonly #listings = new Map<string, SignedListing>();
  readonly #nonces = new Set<string>();
  readonly #streams = new MemoryStreams();
  #inboxSeq = 0;

  constructor(state: MemoryState) {
    this.#state = state;
  }

  async putBlob({ url, params, headers, body }: MemoryRequest): Promise<Response> {
    const id = parseObjectId(params.id);
    await this.#authenticate(url, 'PUT', headers, body);
    const actual = hashBytes(body);
    if (actual !== id) throw new ProtocolError('HashMismatch', `the bytes hash to ${actual}, not ${id}`);
    const held = this.#state.blobs.has(id);
    this.#state.blobs.set(id, body);
    return Response.json({ id }, { status: held ? 200 : 201 });
  }

  async getBlob({ params }: MemoryRequest): Promise<Response> {
    const id = parseObjectId(params.id);
    const bytes = this.#state.blobs.get(id);
    if (!bytes) throw new ProtocolError('NotFound', `blob ${id} is not held here`);
    return new Response(bytes as Uint8Array<ArrayBuffer>, { headers: { 'content-type': 'application/octet-stream' } });
  }

  async missingBlobs({ body }: MemoryRequest): Promise<Response> {
    return Response.json({ missing: idsOf(body).filter((id) => !this.#state.blobs.has(id)) });
  }

  async batchBlobs({ body }: MemoryRequest): Promise<Response> {
    const found: BlobEntry[] = idsOf(body).flatMap((id) => {
      const bytes = this.#state.blobs.get(id);
      return bytes ? [{ id, bytes }] : [];
    });
    return new Response(encodeBlobBatch(found) as Uint8Array<ArrayBuffer>, {
      headers: { 'content-type': 'application/octet-stream' },
    });
  }

  async putHead({ params, body }: MemoryRequest): Promise<Response> {
    const author = parsePseudonymId(params.author);
    const signed = decodeHead(body);
    if (signed.head.author !== author)
      throw new ProtocolError('WrongAuthor', `the head is signed for ${signed.head.author}, not ${author}`);
    if (!(await verifyHead(signed, this.#state.verify)))
      throw new ProtocolError('BadSignature', 'the head signature does not verify');
    const ahead = signed.head.ts - this.#state.now();
    if (ahead > LIMITS.futureSkewMs)
      throw new ProtocolError('FutureTimestamp', `the head is dated ${ahead} ms ahead of the hub's clock`);
    const held = this.#state.heads.get(author);
    if (held && held.seq >= signed.head.seq)
      throw new ProtocolError('StaleHead', `the hub holds seq ${held.seq} for ${author}`);
    const change: ChangeJson = { seq: this.#log.length + 1, author, head: headToJson(signed) };
    this.#log.push(change);
    this.#state.heads.set(author, change.head);
    this.#streams.publish(change);
    return Response.json({ ok: true, seq: signed.head.seq, change: change.seq });
  }

  async getHeads({ url }: MemoryRequest): Promise<Response> {
    const heads: Record<string, HeadJson> = {};
    for (const author of authorsOf(url)) {
      const head = this.#state.heads.get(author);
      if (head) heads[author] = head;
    }
    return Response.json({ heads });
  }

  async stream({ url, headers, signal }: MemoryRequest): Promise<Response> {
    const all = url.searchParams.get('all');
    if (all !== null && all !== '1') throw new ProtocolError('BadRequest', 'all: expected 1');
    if (all && url.searchParams.has('authors'))
      throw new ProtocolError('BadRequest', 'ask for all authors or for some, not both');
    const authors = all ? 'all' : authorsOf(url);
    const resume = Number(headers.get('last-event-id') ?? 0);
    const since = Number.isSafeInteger(resume) && resume <= this.#log.length ? resume : 0;
    const opening = authors === 'all' ? [] : this.#current().filter((c) => authors.includes(c.author) && c.seq > since);
    return this.#streams.open(authors, opening, signal);
  }

  async listChanges({ url }: MemoryRequest): Promise<Response> {
    const since = intParam(url, 'since', 0);
    const limit = Math.max(1, Math.min(intParam(url, 'limit', CHANGES_PAGE), CHANGES_PAGE));
    const changes = this.#current()
      .filter((c) => c.seq > since)
      .slice(0, limit);
    return Response.json({ changes, next: changes.at(-1)?.seq ?? since, last: this.#log.length });
  }

  async putHandle({ params, body }: MemoryRequest): Promise<Response> {
    const signed = decodeHandleClaim(body);
    const { claim } = signed;
    if (claim.name !== params.name)
      throw new ProtocolError('InvalidField', `the claim is for ${claim.name}, not ${params.name}`, {
        field: 'name',
      });
    if (claim.host !== this.#state.host)
      throw new ProtocolError('WrongHost', `the claim is for ${claim.host}; this hub is ${this.#state.host}`);
    if (!(await verifyHandleClaim(signed, this.#state.verify)))
      throw new ProtocolError('BadSignature', 'the claim signature does not verify');
    if (this.#retired.has(claim.author))
      throw new ProtocolError('Retired', 'this pseudonym retired itself on this hub: it can claim no handle here');
    const held = this.#handles.get(claim.name);
    if (held && held.author !== claim.author)
      throw new ProtocolError('HandleTaken', `${claim.name} is taken on this hub`);
    if (!held) this.#handles.set(claim.name, { author: claim.author, host: claim.host, bytes: signed.bytes });
    return Response.json({ ok: true }, { status: held ? 200 : 201 });
  }

  async putListing({ params, body }: MemoryRequest): Promise<Response> {
    const author = parsePseudonymId(params.author);
    const signed = decodeListing(body);
    if (signed.listing.author !== author)
      throw new ProtocolError('WrongAuthor', `the listing is signed for ${signed.listing.author}, not ${author}`);
    if (!(await verifyListing(signed, this.#state.verify)))
      throw new ProtocolError('BadSignature', 'the listing signature does not verify');
    const held = this.#listings.get(author);
    if (held && fromUtf8(held.bytes) === fromUtf8(signed.bytes)) return Response.json({ ok: true }, { status: 200 });
    if (held && held.listing.seq >= signed.listing.seq)
      throw new ProtocolError('StaleListing', `the hub holds this listing at seq ${held.listing.seq}`);
    this.#listings.set(author, signed);
    return Response.json({ ok: true }, { status: 201 });
  }

  readonly listDirectory = (request: MemoryRequest) => this.#listingPage(request, false);
  readonly listListings = (request: MemoryRequest) => this.#listingPage(request, true);

  async #listingPage({ url }: MemoryRequest, unlisted: boolean): Promise<Response> {
    const topic = url.searchParams.get('topic') || undefined;
    const q = url.searchParams.get('q')?.trim().toLowerCase() || undefined;
    const after = url.searchParams.get('cursor') ?? '';
    const limit = Math.max(1, Math.min(intParam(url, 'limit', 50), 50));
    const query = unlisted ? {} : { ...(topic && { topic }), ...(q && { q }) };
    const page = [...this.#listings.values()]
      .filter((l) => l.listing.author > after && ((unlisted && l.listing.unlisted) || listingMatches(l.listing, query)))
      .sort((a, b) => (a.listing.author < b.listing.author ? -1 : 1))
      .slice(0, limit);
    return Response.json({
      listings: page.map((l) => JSON.parse(fromUtf8(l.bytes))),
      ...(page.length === limit && { next: page.at(-1)!.listing.author }),
    });
  }

  async putRetirement({ params, body }: MemoryRequest): Promise<Response> {
    const author = parsePseudonymId(params.author);
    const signed = decodeRetirement(body);
    if (signed.retirement.author !== author)
      throw new ProtocolError('WrongAuthor', `the retirement is signed for ${signed.retirement.author}, not ${author}`);
    if (!(await verifyRetirement(signed, this.#state.verify)))
      throw new ProtocolError('BadSignature', 'the retirement signature does not verify');
    if (this.#retired.has(author)) return Response.json({ ok: true }, { status: 200 });
    this.#retired.add(author);
    for (const [name, held] of this.#handles) if (held.author === author) this.#handles.delete(name);
    return Response.json({ ok: true }, { status: 201 });
  }

  async postNotice({ params, body }: MemoryRequest): Promise<Response> {
    const to = parsePseudonymId(params.author);
    const signed = decodeNotice(body);
    const { notice } = signed;
    if (notice.to !== to)
      throw new ProtocolError('InvalidField', `the notice is for ${notice.to}, not ${to}`, { field: 'to' });
    if (!(await verifyNotice(signed, this.#state.verify)))
      throw new ProtocolError('BadSignature', 'the notice signature does not verify');
    const off = notice.ts - this.#state.now();
    if (off > REQUEST_SKEW_MS)
      throw new ProtocolError(
        'FutureTimestamp',
        `the notice is dated ${Math.round(off / 1000)} s ahead of the hub's clock`,
      );
    if (-off > REQUEST_SKEW_MS)
      throw new ProtocolError(
        'ClockSkew',
        `the notice is dated ${Math.round(-off / 1000)} s ago; send it again with the time now`,
      );
    const policy = this.#policies.get(to);
    if (policy && !admitsSender(policy.policy, notice.from))
      throw new ProtocolError('InboxClosed', 'this inbox does not take notices from this sender');
    const key = hashBytes(signed.bytes);
    if (this.#noticeIds.has(key)) return Response.json({ ok: true }, { status: 200 });
    this.#noticeIds.add(key);
    const list = this.#inbox.get(to) ?? [];
    list.push({ seq: ++this.#inboxSeq, signed });
    this.#inbox.set(to, list);
    return Response.json({ ok: true }, { status: 201 });
  }

  async putInboxPolicy({ params, body }: MemoryRequest): Promise<Response> {
    const author = parsePseudonymId(params.author);
    if (body.length > INBOX_POLICY_LIMITS.bytes) throw new ProtocolError('TooLarge', 'the policy is too large');
    const signed = decodeInboxPolicy(body);
    if (signed.policy.author !== author)
      throw new ProtocolError('WrongAuthor', `the policy is signed for ${signed.policy.author}, not ${author}`);
    if (!(await verifyInboxPolicy(signed, this.#state.verify)))
      throw new ProtocolError('BadSignature', 'the inbox policy signature does not verify');
    const held = this.#policies.get(author);
    if (held && fromUtf8(held.bytes) === fromUtf8(signed.bytes)) return Response.json({ ok: true }, { status: 200 });
    if (held && held.policy.seq >= signed.policy.seq)
      throw new ProtocolError('StalePolicy', `the hub holds this inbox's policy at seq ${held.policy.seq}`);
    this.#policies.set(author, signed);
    return Response.json({ ok: true }, { status: 201 });
  }

  async getInboxPolicy({ params }: MemoryRequest): Promise<Response> {
    const held = this.#policies.get(parsePseudonymId(params.author));
    if (!held) throw new ProtocolError('NotFound', 'no inbox policy is held for this pseudonym');
    return new Response(held.bytes as Uint8Array<ArrayBuffer>, { headers: { 'content-type': 'application/json' } });
  }

  async listInbox({ url, params, headers }: MemoryRequest): Promise<Response> {
    const owner = parsePseudonymId(params.author);
    const cursor = intParam(url, 'cursor', 0);
    const limit = Math.max(1, Math.min(intParam(url, 'limit', INBOX_PAGE), INBOX_PAGE));
    const reader = await this.#authenticate(url, 'GET', headers, new Uint8Array());
    if (reader !== owner) throw new ProtocolError('Forbidden', "only the inbox's own pseudonym may read it");
    const page = (this.#inbox.get(owner) ?? []).filter((n) => n.seq > cursor).slice(0, limit);
    return Response.json({
      notices: page.map((n) => ({ ...n.signed.notice, sig: n.signed.sig })),
      ...(page.length > 0 && { next: String(page.at(-1)!.seq) }),
    });
  }

  async webfinger({ url }: MemoryRequest): Promise<Response> {
    const resource = url.searchParams.get('resource');
    if (!resource?.startsWith('acct:')) throw new ProtocolError('BadRequest', 'expected ?resource=acct:name@host');
    let handle: ReturnType<typeof parseHandle>;
    try {
      handle = parseHandle(resource);
    } catch {
      throw new ProtocolError('BadRequest', `${resource} is not acct:name@host`);
    }
    const held = handle.host === this.#state.host ? this.#handles.get(handle.name) : undefined;
    if (!held || held.host !== handle.host)
      throw new ProtocolError('NotFound', `no handle ${handle.name}@${handle.host} on this hub`);
    const jrd = {
      subject: `acct:${handle.name}@${handle.host}`,
      aliases: [],
      links: [
        { rel: 'self', type: MURMUR_LINK_TYPE, href: `${hubOrigin(handle.host)}/v1/heads?authors=${held.author}` },
      ],
      properties: { [WEBFINGER_PSEUDONYM]: held.author, [WEBFINGER_CLAIM]: fromUtf8(held.bytes) },
    };
    return Response.json(jrd, { headers: { 'content-type': 'application/jrd+json' } });
  }

  async hubInfo(): Promise<Response> {
    return Response.json({
      name: 'memory',
      version: 'test',
      limits: { blobBytes: LIMITS.blobBytes, batchIds: MAX_BATCH_IDS, streamAuthors: MAX_IDS_PER_REQUEST },
    });
  }

  async hubStatus(): Promise<Response> {
    const connections = { open: 0, stalled: 0 };
    return Response.json({
      name: 'memory',
      version: 'test',
      changes: this.#log.length,
      streams: this.#streams.size,
      connections,
      uptimeSeconds: 0,
      peers: [],
      store: { kind: 'memory', ok: true },
    });
  }

  /** Each author's latest change, oldest first. */
  #current(): ChangeJson[] {
    return this.#log.filter((c) => this.#state.heads.get(c.author) === c.head);
  }

  /** The signer of a signed request, checked as the real hub checks it (guard/write-guard.ts). */
  async #authenticate(url: URL, method: string, headers: Headers, body: Uint8Array): Promise<string> {
    const header = (name: string) => headers.get(name) ?? (name === 'host' ? this.#state.host : undefined);
    const facts = await checkSignedRequest(
      header,
      { method, path: url.pathname + url.search, body },
      this.#state.now(),
      this.#state.verify,
    );
    if (facts.host !== this.#state.host)
      throw new ProtocolError('WrongHost', `the request is signed for ${facts.host}; this hub is ${this.#state.host}`);
    if (this.#nonces.has(facts.nonce)) throw new ProtocolError('Replayed', 'this signed request was received already');
    this.#nonces.add(facts.nonce);
    return facts.author;
  }
}

/** The ids of a `{ ids }` body, as the real hub reads them (hub http/id-lists.ts). */
function idsOf(body: Uint8Array): ObjectId[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder().decode(body));
  } catch {
    throw new ProtocolError('DecodeError', 'the body is not JSON');
  }
  const ids = (parsed as { ids?: unknown } | null)?.ids;
  if (!Array.isArray(ids)) throw new ProtocolError('DecodeError', 'expected { "ids": [...] }');
  const distinct = [...new Set(ids as unknown[])];
  if (distinct.length > MAX_BATCH_IDS) throw new ProtocolError('TooLarge', `at most ${MAX_BATCH_IDS} ids per request`);
  for (const id of distinct) if (!isObjectId(id)) throw new ProtocolError('MalformedId', `${String(id)} is not an id`);
  return distinct as ObjectId[];
}

/** As the real hub reads ?authors= (hub http/id-lists.ts): distinct, at most MAX_IDS_PER_REQUEST. */
function authorsOf(url: URL): string[] {
  const parts = url.searchParams
    .getAll('authors')
    .flatMap((v) => v.split(','))
    .filter((p) => p !== '');
  const distinct = [...new Set(parts)];
  if (distinct.length > MAX_IDS_PER_REQUEST)
    throw new ProtocolError('TooLarge', `at most ${MAX_IDS_PER_REQUEST} ids per request`);
  return distinct.map(parsePseudonymId);
}

function intParam(url: URL, name: string, fallback: number): number {
  const text = url.searchParams.get(name);
  if (text === null || text === '') return fallback;
  const n = Number(text);
  if (!/^[0-9]+$/.test(text) || !Number.isSafeInteger(n))
    throw new ProtocolError('BadRequest', `${name}: expected a non-negative integer`);
  return n;
}
