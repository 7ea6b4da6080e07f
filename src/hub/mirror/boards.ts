/**
 * Mirroring a peer's boards (PROTOCOL.md, Hives): a board is an inbox whose
 * policy's mode is `board`, which anyone may read, and it is how a hive's
 * readers find its members' posts. A mirror copies the policy and every
 * notice, each checked as the inbox route checks a client's (form, the board
 * it names, the sender's signature, not dated ahead) except for the age
 * window: a notice is as old as it is, and its bytes are what its sender
 * signed. The hub learns which feeds have boards only from the policies the
 * peer serves (it never reads a hive), so any reader of the mirror sees what
 * the members announced on the peer, and nothing of a person's inbox: only a
 * board policy makes an inbox readable unsigned, on the peer or here.
 */
import { ProtocolError } from '../../protocol/errors.ts';
import type { PseudonymId } from '../../protocol/ids.ts';
import { decodeInboxPolicy, verifyInboxPolicy } from '../../protocol/inbox-policy.ts';
import type { Verify } from '../../protocol/keys.ts';
import { LIMITS } from '../../protocol/limits.ts';
import { decodeNoticeJson, verifyNotice } from '../../protocol/notices.ts';
import type { InboxAnswer } from '../../protocol/routes.ts';
import type { InboxStore } from '../store/hub-store.ts';

/** A peer paging on for ever is left after this many pages (200 notices each) in one sweep of one board. */
export const MAX_BOARD_PAGES = 500;

export interface BoardMirrorDeps {
  readonly inbox: InboxStore;
  readonly verify: Verify;
  readonly now: () => number;
}

/**
 * Keeps `author`'s policy when the peer's is a board (form, author, signature, not dated ahead), newer than ours.
 * @returns whether the peer holds a board for `author`; a policy that fails a check is thrown.
 * @throws ProtocolError WrongAuthor, BadSignature, FutureTimestamp, MalformedRecord
 */
export async function mirrorBoardPolicy(
  author: PseudonymId,
  bytes: Uint8Array | undefined,
  deps: BoardMirrorDeps,
): Promise<boolean> {
  if (!bytes) return false;
  const signed = decodeInboxPolicy(bytes);
  if (signed.policy.mode !== 'board') return false;
  if (signed.policy.author !== author)
    throw new ProtocolError('WrongAuthor', `the policy is signed for ${signed.policy.author}, not ${author}`);
  if (!(await verifyInboxPolicy(signed, deps.verify)))
    throw new ProtocolError('BadSignature', 'the inbox policy signature does not verify');
  const ahead = signed.policy.ts - deps.now();
  if (ahead > LIMITS.futureSkewMs)
    throw new ProtocolError('FutureTimestamp', `the policy is dated ${ahead} ms ahead of this hub`);
  try {
    await deps.inbox.putPolicy(signed);
  } catch (error) {
    // Ours is as new or newer (the owner opened the board here too): the board is still the peer's to copy.
    if (!(error instanceof ProtocolError && error.name === 'StalePolicy')) throw error;
  }
  return true;
}

export interface BoardSweep {
  /** Notices new here. */
  readonly stored: number;
  /** What no client could have put: why. */
  readonly refused: readonly ProtocolError[];
  /** Where the next sweep of this board starts on the peer. */
  readonly cursor: string | undefined;
}

/**
 * Copies the notices of `board` that the peer lists after `cursor`.
 * @param page one page of the peer's board after a cursor (PeerClient.board).
 * @throws what `page` or the store throws: the caller sweeps again later, from the same cursor.
 */
export async function sweepBoard(
  board: PseudonymId,
  cursor: string | undefined,
  page: (cursor: string | undefined) => Promise<InboxAnswer>,
  deps: BoardMirrorDeps,
): Promise<BoardSweep> {
  let stored = 0;
  const refused: ProtocolError[] = [];
  for (let pages = 0; pages < MAX_BOARD_PAGES; pages++) {
    const answer = await page(cursor);
    for (const json of answer.notices) {
      const outcome = await mirrorNotice(board, json, deps);
      if (outcome === 'created') stored++;
      else if (outcome instanceof ProtocolError) refused.push(outcome);
    }
    // Cursors are the peer's seqs, rising: one that does not move on would read the same page for ever.
    if (answer.notices.length === 0 || answer.next === undefined || answer.next === cursor) break;
    cursor = answer.next;
  }
  return { stored, refused, cursor };
}

async function mirrorNotice(board: PseudonymId, json: unknown, deps: BoardMirrorDeps) {
  try {
    const signed = decodeNoticeJson(json);
    if (signed.notice.to !== board)
      return new ProtocolError('InvalidField', `the notice is for ${signed.notice.to}, not the board ${board}`);
    if (!(await verifyNotice(signed, deps.verify)))
      return new ProtocolError('BadSignature', 'the notice signature does not verify');
    const ahead = signed.notice.ts - deps.now();
    if (ahead > LIMITS.futureSkewMs)
      return new ProtocolError('FutureTimestamp', `the notice is dated ${ahead} ms ahead of this hub`);
    return await deps.inbox.putNotice(signed);
  } catch (error) {
    if (error instanceof ProtocolError) return error;
    throw error;
  }
}
