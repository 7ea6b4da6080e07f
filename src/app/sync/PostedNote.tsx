/**
 * What the composer says of the post it just sent, following the sync state
 * (its own component, so a sync notice re-renders this line, not the composer).
 */
import type { PseudonymId } from '../../protocol/ids.ts';
import { postedText } from './sync-text.ts';
import { useSyncClock } from './use-sync-clock.ts';
import { useSyncStatus } from './use-sync-status.ts';

export function PostedNote({ pseudonym }: { readonly pseudonym: PseudonymId }) {
  const { data } = useSyncStatus(pseudonym);
  const now = useSyncClock(data);
  return postedText(data, now);
}
