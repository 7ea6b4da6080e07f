/** Unread counts for the nav badges, per pseudonym, asked again on each notice for it. */
import type { PseudonymId } from '../../protocol/ids.ts';
import { useCore } from '../core/use-core.ts';
import { useCoreQuery } from '../core/use-core-query.ts';

export function useUnreadNotifications(me: PseudonymId): number {
  const core = useCore();
  const query = useCoreQuery(
    `unread-notifications:${me}`,
    () => core.countUnreadNotifications(me),
    (c) => c.kind === 'notifications' && c.pseudonym === me,
  );
  return query.data ?? 0;
}

export function useUnreadMessages(me: PseudonymId): number {
  const core = useCore();
  const query = useCoreQuery(
    `unread-messages:${me}`,
    async () => (await core.listConversations(me)).reduce((sum, c) => sum + c.unread, 0),
    (c) => c.kind === 'messages' && c.pseudonym === me,
  );
  return query.data ?? 0;
}
