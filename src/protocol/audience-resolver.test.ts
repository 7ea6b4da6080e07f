/**
 * The audience resolver against a table written out by hand (the expected
 * verdicts are not computed by the rule under test), then every combination
 * of its inputs against the promises that must hold whatever the table says.
 */
import { describe, expect, test } from 'vitest';
import { type AudienceQuestion, type AudienceReason, resolveAudience } from './audience-resolver.ts';
import type { AudienceKind } from './audience.ts';
import type { PseudonymId } from './ids.ts';

const AUTHOR = 'a'.repeat(64) as PseudonymId;
const OTHER = 'b'.repeat(64) as PseudonymId;
const VIEWERS = { author: AUTHOR, other: OTHER, 'signed out': null } as const;
const KINDS: readonly AudienceKind[] = ['public', 'followers', 'allowlist', 'link'];

type Viewer = keyof typeof VIEWERS;
/** viewer, audience, author blocks viewer, viewer blocks author, viewer holds the key, expected reason. */
type Row = [Viewer, AudienceKind, boolean, boolean, boolean, AudienceReason];

const VISIBLE: ReadonlySet<AudienceReason> = new Set(['public', 'author', 'holds-key']);

const TABLE: Row[] = [
  // Blocks first, always: a key does not get a blocked viewer in, on any audience.
  ['other', 'public', true, false, false, 'blocked-by-author'],
  ['other', 'followers', true, false, true, 'blocked-by-author'],
  ['other', 'allowlist', true, false, true, 'blocked-by-author'],
  ['other', 'link', true, false, true, 'blocked-by-author'],
  ['other', 'public', false, true, false, 'blocks-author'],
  ['other', 'followers', false, true, true, 'blocks-author'],
  ['other', 'allowlist', false, true, true, 'blocks-author'],
  ['other', 'link', false, true, true, 'blocks-author'],
  // Both ways: the author's block is named (it is the one the viewer cannot undo).
  ['other', 'link', true, true, true, 'blocked-by-author'],
  // Blocks are the viewer's inputs, not derived: a stale self-block still hides (the rule has no exception).
  ['author', 'followers', true, false, true, 'blocked-by-author'],
  ['signed out', 'public', true, false, false, 'blocked-by-author'],
  // Public: everyone past blocks, key or not.
  ['other', 'public', false, false, false, 'public'],
  ['other', 'public', false, false, true, 'public'],
  ['signed out', 'public', false, false, false, 'public'],
  ['author', 'public', false, false, false, 'public'],
  // The author sees its own posts of every audience, even before its devices open the envelope.
  ['author', 'followers', false, false, false, 'author'],
  ['author', 'allowlist', false, false, false, 'author'],
  ['author', 'link', false, false, false, 'author'],
  ['author', 'allowlist', false, false, true, 'author'],
  // Anyone else needs the key.
  ['other', 'followers', false, false, true, 'holds-key'],
  ['other', 'followers', false, false, false, 'no-key'],
  ['other', 'allowlist', false, false, true, 'holds-key'],
  ['other', 'allowlist', false, false, false, 'no-key'],
  ['other', 'link', false, false, true, 'holds-key'],
  ['other', 'link', false, false, false, 'no-key'],
  // Signed out: a link works (its key is in the URL); followers and allowlist need a pseudonym's DM key.
  ['signed out', 'link', false, false, true, 'holds-key'],
  ['signed out', 'link', false, false, false, 'no-key'],
  ['signed out', 'followers', false, false, false, 'signed-out'],
  ['signed out', 'allowlist', false, false, false, 'signed-out'],
  ['signed out', 'followers', false, false, true, 'signed-out'],
  ['signed out', 'allowlist', false, false, true, 'signed-out'],
];

const question = ([
  viewer,
  audience,
  authorBlocksViewer,
  viewerBlocksAuthor,
  viewerHoldsKey,
]: Row): AudienceQuestion => ({
  viewer: VIEWERS[viewer],
  author: AUTHOR,
  audience,
  authorBlocksViewer,
  viewerBlocksAuthor,
  viewerHoldsKey,
});

describe('the table', () => {
  for (const row of TABLE) {
    const [viewer, audience, authorBlocks, viewerBlocks, holdsKey, reason] = row;
    const name = `${viewer}, ${audience}, blocked ${authorBlocks}, blocks ${viewerBlocks}, key ${holdsKey}`;
    test(`${name}: ${reason}`, () => {
      expect(resolveAudience(question(row))).toEqual({ visible: VISIBLE.has(reason), reason });
    });
  }
});

describe('every combination', () => {
  const all: Row[] = [];
  for (const viewer of Object.keys(VIEWERS) as Viewer[])
    for (const audience of KINDS)
      for (const authorBlocks of [false, true])
        for (const viewerBlocks of [false, true])
          for (const holdsKey of [false, true])
            all.push([viewer, audience, authorBlocks, viewerBlocks, holdsKey, 'public']);

  test('a blocked viewer, either way, sees nothing whatever the audience and key', () => {
    for (const row of all.filter(([, , authorBlocks, viewerBlocks]) => authorBlocks || viewerBlocks))
      expect(resolveAudience(question(row)).visible, row.join(' ')).toBe(false);
  });

  test('past blocks, a non-public post is for its author and key holders who can use the key', () => {
    for (const row of all.filter(([, audience, a, b]) => audience !== 'public' && !a && !b)) {
      const [viewer, audience, , , holdsKey] = row;
      const canUseKey = viewer === 'other' || (viewer === 'signed out' && audience === 'link');
      expect(resolveAudience(question(row)).visible, row.join(' ')).toBe(
        viewer === 'author' || (holdsKey && canUseKey),
      );
    }
  });

  test('visible agrees with the reason, and each reason is reached by the table', () => {
    const reasons = new Set<AudienceReason>();
    for (const row of all) {
      const verdict = resolveAudience(question(row));
      expect(verdict.visible).toBe(VISIBLE.has(verdict.reason));
      reasons.add(verdict.reason);
    }
    expect(new Set(TABLE.map((row) => row[5]))).toEqual(reasons);
  });
});
