/** How a post's author is named: handle when known, else a short key fingerprint. */
import type { TimelineItem } from '../../../workers/api/api-types.ts';
import { shortFingerprint } from '../identity/pseudonym-label.ts';

export function authorLabel(item: Pick<TimelineItem, 'author' | 'authorHandle'>): string {
  return item.authorHandle ?? shortFingerprint(item.author);
}
