/**
 * Unread counts for the nav badges, per pseudonym, asked again on each notice for it. The first ask waits for
 * the first screen (shell/first-screen.ts): the counts are the full core's, so asking sooner would load it before
 * the timeline's first page, which the worker's first script answers alone.
 */
import type { PseudonymId } from '../../protocol/ids.ts';
import { useCore } from '../core/use-core.ts';
import { useCoreQuery } from '../core/use-core-query.ts';
import { firstScreenShown } from '../shell/first-screen.ts';

export function useUnreadNotifications(me: PseudonymId): number {
  const core = useCore();
  const query = useCoreQuery(
    `unread-notifications:${me}`,
    async () => {
      await firstScreenShown();
      return core.countUnreadNotifications(me);
    },
    (c) => c.kind === 'notifications' && c.pseudonym === me,
  );
  return query.data ?? 0;
}

export function useUnreadMessages(me: PseudonymId): number {
  const core = useCore();
  const query = useCoreQuery(
    `unread-messages:${me}`,
    async () => {
      await firstScreenShown();
      return (await core.listConversations(me)).reduce((sum, c) => sum + c.unread, 0);
    },
    (c) => c.kind === 'messages' && c.pseudonym === me,
  );
  return query.data ?? 0;
}
