/**
 * The one rule for whether a viewer sees a post, given its audience: a pure
 * function, so the worker, the UI and the CLI cannot disagree. Blocks come
 * first, always: a blocked viewer (either way) sees nothing, even holding a
 * key. Past blocks, a public post is for everyone and its author sees every
 * post of its own; any other audience needs the key (an opened envelope or
 * a link secret), because holding it is the only proof the protocol has that
 * the author shared the post (the author decides followers and allowlists).
 */
import type { AudienceKind } from './audience.ts';
import type { PseudonymId } from './ids.ts';

export interface AudienceQuestion {
  /** The pseudonym looking, or null for someone signed out (a link opened in a fresh browser). */
  readonly viewer: PseudonymId | null;
  readonly author: PseudonymId;
  readonly audience: AudienceKind;
  readonly authorBlocksViewer: boolean;
  readonly viewerBlocksAuthor: boolean;
  /** The viewer opened the post's key list, or holds its link secret. */
  readonly viewerHoldsKey: boolean;
}

export type AudienceReason =
  | 'blocked-by-author'
  | 'blocks-author'
  | 'public'
  | 'author'
  | 'holds-key'
  | 'no-key'
  /** A followers or allowlist post needs a pseudonym's DM key to open: signed out, there is none. */
  | 'signed-out';

export interface AudienceVerdict {
  readonly visible: boolean;
  readonly reason: AudienceReason;
}

/**
 * Whether the viewer is the author is derived from the ids, not asked, so no
 * caller can pass a contradiction (an author told it is someone else).
 */
export function resolveAudience(question: AudienceQuestion): AudienceVerdict {
  if (question.authorBlocksViewer) return { visible: false, reason: 'blocked-by-author' };
  if (question.viewerBlocksAuthor) return { visible: false, reason: 'blocks-author' };
  if (question.audience === 'public') return { visible: true, reason: 'public' };
  if (question.viewer !== null && question.viewer === question.author) return { visible: true, reason: 'author' };
  if (question.viewer === null && question.audience !== 'link') return { visible: false, reason: 'signed-out' };
  return question.viewerHoldsKey ? { visible: true, reason: 'holds-key' } : { visible: false, reason: 'no-key' };
}
