/**
 * Following a moved feed's signed pointer (PROTOCOL.md, Moving hubs) from a
 * hub that still answers for it. A move leaves the old hub's head on one
 * commit whose profile op names the new hubs, so someone who knows only the
 * old hub (a handle there, a hint) asks it for the feed's head, checks the
 * head and its tip commit as any reader does (hash, signature, author), and
 * goes where that commit says, a few hops at most. Nothing a hub says
 * unsigned is followed: a forged head or commit is refused by name. No
 * storage: the handle lookup, deliveries and the command line share it.
 */
import { type SignedCommit, decodeCommit, provenanceOf } from '../../src/protocol/commits.ts';
import { ProtocolError } from '../../src/protocol/errors.ts';
import type { PseudonymId } from '../../src/protocol/ids.ts';
import type { Verify } from '../../src/protocol/keys.ts';
import type { HubClient } from '../net/hub-client.ts';
import { verifiedHead } from './head-check.ts';

export interface PointerDeps {
  readonly hub: (origin: string, as?: PseudonymId) => HubClient;
  readonly verify: Verify;
}

/** A feed moved twice is followed through both pointers; a longer chain (or a loop) stops where it is. */
const MAX_HOPS = 4;

/**
 * Where `author`'s feed lives, starting at the hub `origin`: `[origin]` when that hub's head is no pointer (or it
 * holds none of the feed), else the hubs the newest pointer reached names, home first. A hub that cannot be
 * reached, or answers with an error, ends the chain there: the signed word read so far stands (`[origin]` when
 * none was read).
 * @throws ProtocolError BadSignature, WrongAuthor, HashMismatch, BadDelegation, ... (a forged head or pointer)
 */
export async function findCurrentHubs(
  deps: PointerDeps,
  author: PseudonymId,
  origin: string,
  as?: PseudonymId,
): Promise<readonly string[]> {
  let hubs: readonly string[] = [origin];
  const seen = new Set<string>();
  for (let hop = 0; hop < MAX_HOPS; hop++) {
    const at = hubs[0]!;
    seen.add(at);
    let next: readonly string[] | undefined;
    try {
      next = await readPointer(deps, author, at, as);
    } catch (error) {
      // Our checks refuse a forgery by name; a hub that does not answer, or answers with an error (busy, rate
      // limited), ends the chain at the signed word read so far.
      if (error instanceof ProtocolError) throw error;
      return hubs;
    }
    if (!next || next[0] === at) return next ?? hubs;
    hubs = next;
    if (seen.has(hubs[0]!)) return hubs;
  }
  return hubs;
}

/**
 * The hubs named by the pointer `origin`'s head of `author` ends at (its newest tip carrying a profile op with
 * `hubs`, by commit ts then id), or undefined when no tip is one. Tips the hub cannot serve are skipped.
 * @throws as findCurrentHubs
 */
async function readPointer(
  deps: PointerDeps,
  author: PseudonymId,
  origin: string,
  as: PseudonymId | undefined,
): Promise<readonly string[] | undefined> {
  const client = deps.hub(origin, as);
  const json = (await client.getHeads([author]))[author];
  if (!json) return undefined;
  const { head } = await verifiedHead(json, author, deps.verify);
  const served = await client.batchBlobs(head.heads);
  const pointers: { readonly signed: SignedCommit; readonly hubs: readonly string[] }[] = [];
  for (const id of head.heads) {
    const bytes = served.find((entry) => entry.id === id)?.bytes;
    if (!bytes) continue;
    const signed = decodeCommit(bytes, id);
    if (signed.commit.author !== author)
      throw new ProtocolError('WrongAuthor', `the head of ${author} on ${origin} names a commit by another author`);
    await provenanceOf(signed, deps.verify); // BadSignature, BadDelegation, ... for a forgery
    let hubs: readonly string[] | undefined;
    for (const op of signed.commit.ops) if (op.type === 'profile' && op.hubs?.length) hubs = op.hubs;
    if (hubs) pointers.push({ signed, hubs });
  }
  pointers.sort((a, b) => a.signed.commit.ts - b.signed.commit.ts || (a.signed.id < b.signed.id ? -1 : 1));
  return pointers.at(-1)?.hubs;
}
