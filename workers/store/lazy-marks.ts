/**
 * The marks of lazy-posts.ts, read: per feed whose older posts wait in packs
 * without rows, the key down to which every post of it has its row. Reading
 * them needs none of the row building, so a page read that only asks whether
 * rows are due (read/timeline-page.ts, in the core worker's first script)
 * imports this and not lazy-posts.ts.
 */
import type { PseudonymId } from '../../src/protocol/ids.ts';
import type { CoreDb, PostKey } from './db.ts';
import { compareKeys } from './post-rows.ts';

/** The meta row holding every feed's mark. */
export const MARKS = 'lazy-post-marks';

/** Per feed with posts only in packs: every post of it at or before this key has a row. */
export type Marks = Readonly<Record<PseudonymId, PostKey>>;

export async function readMarks(read: { get(key: string): Promise<{ value: unknown } | undefined> }): Promise<Marks> {
  return ((await read.get(MARKS))?.value as Marks | undefined) ?? {};
}

export async function marksOf(db: CoreDb): Promise<Marks> {
  return readMarks({ get: (key) => db.get('meta', key) });
}

/** The feeds among `authors` whose marks stop before `through` (every marked feed when `through` is undefined). */
export function dueFeeds(marks: Marks, authors: readonly PseudonymId[], through: PostKey | undefined): PseudonymId[] {
  return authors.filter((a) => marks[a] !== undefined && (!through || compareKeys(marks[a], through) < 0));
}
