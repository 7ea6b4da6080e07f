/**
 * For the crash test (crash-run.ts): holds a restarted hub to everything it
 * acknowledged before it was killed, through its own HTTP routes, and scans
 * its data folder so that every blob file there hashes to its name and every
 * blob segment reads back whole (no torn or mislabelled blob survives a crash). (Test code; not imported by the hub.)
 */
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { PseudonymId } from '../../protocol/ids.ts';
import { pseudonymOf } from '../../protocol/keys.ts';
import { newRequestNonce, signRequest } from '../../protocol/request-auth.ts';
import { sha256HexNode } from '../../runtime/sha256-node.ts';
import { WEBFINGER_PSEUDONYM } from '../../protocol/routes.ts';
import { SEGMENT_BLOB_BYTES } from '../store/files/blob-segments.ts';
import { parseSegment } from '../store/files/segment-format.ts';
import { type Ledger, inboxKey } from './crash-writers.ts';

export class LostWriteError extends Error {
  override readonly name = 'LostWriteError';
}

/** A connection the client's pool held to the killed process, or one the new hub closed as idle while it was reused. */
const RESET_CODES = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET']);

/**
 * fetch for the checks, which only read: a connection reset before an answer is tried again (up to 3 times),
 * with `init` built afresh so a signed read gets a new nonce. A refused connection or any answer is final.
 */
export async function read(url: string, init: () => RequestInit = () => ({})): Promise<Response> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fetch(url, init());
    } catch (error) {
      const code = ((error as { cause?: { code?: unknown } }).cause?.code ?? '') as string;
      if (attempt >= 3 || !RESET_CODES.has(code)) throw error;
    }
  }
}

/**
 * @param claimNames the acknowledged claims to resolve (all of them at the end; this cycle's in between, as each is one
 *        request).
 * @throws LostWriteError naming the first acknowledged write missing or damaged.
 */
export async function checkHub(hubUrl: string, ledger: Ledger, claimNames: Iterable<string>): Promise<void> {
  const ids = [...ledger.blobs.keys()];
  for (let i = 0; i < ids.length; i += 512) {
    const body = JSON.stringify({ ids: ids.slice(i, i + 512) });
    const res = await read(`${hubUrl}/v1/blobs/missing`, () => ({ method: 'POST', body }));
    const { missing } = (await res.json()) as { missing: string[] };
    if (missing.length > 0)
      throw new LostWriteError(`acknowledged blob ${missing[0]} is gone (${missing.length} in all)`);
  }

  const authors = [...ledger.heads.keys()];
  const heads = (
    (await (await read(`${hubUrl}/v1/heads?authors=${authors.join(',')}`)).json()) as {
      heads: Record<string, { seq: number }>;
    }
  ).heads;
  for (const [author, seq] of ledger.heads) {
    const held = heads[author]?.seq ?? 0;
    if (held < seq) throw new LostWriteError(`${author} has head seq ${held}; seq ${seq} was acknowledged`);
  }

  const host = new URL(hubUrl).host;
  for (const name of claimNames) {
    const res = await read(`${hubUrl}/.well-known/webfinger?resource=acct:${name}@${host}`);
    const jrd = res.ok ? ((await res.json()) as { properties: Record<string, string> }) : undefined;
    if (jrd?.properties[WEBFINGER_PSEUDONYM] !== ledger.claims.get(name))
      throw new LostWriteError(`acknowledged claim ${name} resolves to ${res.status} ${JSON.stringify(jrd)}`);
  }

  const held = await inboxSigs(hubUrl);
  for (const sig of ledger.notices)
    if (!held.has(sig)) throw new LostWriteError(`acknowledged notice ${sig.slice(0, 16)}… is gone`);
}

/** The signatures of every notice in the test inbox, read page by page with signed requests. */
async function inboxSigs(hubUrl: string): Promise<Set<string>> {
  const owner: PseudonymId = pseudonymOf(inboxKey);
  const sigs = new Set<string>();
  let cursor = '0';
  for (;;) {
    const path = `/v1/inbox/${owner}?cursor=${cursor}`;
    const host = new URL(hubUrl).host;
    const res = await read(`${hubUrl}${path}`, () => ({
      headers: signRequest(inboxKey, {
        method: 'GET',
        path,
        body: new Uint8Array(),
        ts: Date.now(),
        host,
        nonce: newRequestNonce(),
      }),
    }));
    if (!res.ok) throw new LostWriteError(`the inbox answered ${res.status} ${await res.text()}`);
    const page = (await res.json()) as { notices: { sig: string }[]; next?: string };
    for (const n of page.notices) sigs.add(n.sig);
    if (page.next === undefined) return sigs;
    cursor = page.next;
  }
}

/**
 * Hashes every blob file under dataDir/blobs not in `seen` (blob files are
 * immutable once in place, so each is checked once) and adds it there; reads
 * every segment under blobs/segments whole (a restarted hub has cut off any
 * torn tail, so damage anywhere is a lost write) and adds its blobs too.
 * @returns how many blobs were checked now. @throws LostWriteError for a file whose bytes do not hash to its name,
 *   or a segment that does not read back whole
 */
export async function scanBlobs(dataDir: string, seen: Set<string>): Promise<number> {
  let checked = 0;
  const root = join(dataDir, 'blobs');
  for (const fan of await readdir(root)) {
    if (fan === 'segments') continue;
    for (const name of await readdir(join(root, fan))) {
      if (seen.has(name)) continue;
      const bytes = await readFile(join(root, fan, name));
      const actual = sha256HexNode(bytes);
      if (actual !== name || fan !== name.slice(0, 2))
        throw new LostWriteError(`blobs/${fan}/${name} holds bytes that hash to ${actual}`);
      seen.add(name);
      checked++;
    }
  }
  const segments = join(root, 'segments');
  for (const name of (await readdir(segments).catch(() => [])).filter((n) => n.endsWith('.seg'))) {
    const parsed = parseSegment(await readFile(join(segments, name)), SEGMENT_BLOB_BYTES);
    if (parsed.damage) throw new LostWriteError(`blobs/segments/${name}: ${parsed.damage} at byte ${parsed.end}`);
    for (const { id } of parsed.records) {
      if (seen.has(id)) continue;
      seen.add(id);
      checked++;
    }
  }
  return checked;
}
