/** A post with its reply tree (findThread), indented by depth. */
import type { PseudonymSummary } from '../../../workers/api/api-types.ts';
import type { ObjectId } from '../../protocol/ids.ts';
import { useCore } from '../core/use-core.ts';
import { describeError } from '../core/error-text.ts';
import { useCoreQuery } from '../core/use-core-query.ts';
import { PostCard } from '../post/PostCard.tsx';
import { useNow } from '../timeline/use-now.ts';
import { BackLink } from '../nav/BackLink.tsx';

export default function ThreadScreen({
  pseudonym,
  id,
}: {
  readonly pseudonym: PseudonymSummary;
  readonly id: ObjectId;
}) {
  const core = useCore();
  const { data, error, loading } = useCoreQuery(
    `thread:${pseudonym.id}:${id}`,
    () => core.findThread(pseudonym.id, id),
    (change) => change.kind === 'timeline' && (!change.pseudonym || change.pseudonym === pseudonym.id),
  );
  const now = useNow();
  return (
    <section className="screen" aria-labelledby="thread-title">
      <BackLink />
      <h1 id="thread-title" className="screen-title">
        Thread
      </h1>
      {error !== undefined && (
        <p className="message message-error" role="alert">
          Could not read this thread: {describeError('load', error)}
        </p>
      )}
      {loading && data === undefined && <p className="timeline-loading">Loading the thread…</p>}
      {!loading && data === undefined && error === undefined && (
        <p className="timeline-empty">This post is not on this device.</p>
      )}
      {data && data.items.length === 0 && (
        <p className="timeline-empty">This thread is hidden by your mutes or blocks (Settings lists them).</p>
      )}
      {data && data.items.length > 0 && (
        <ol className="thread-list" aria-label="Replies in this thread">
          {data.items.map((item) => (
            <li
              key={item.id}
              className="thread-item"
              style={{ marginInlineStart: `${Math.min(item.depth, 6) * 20}px` }}
              data-depth={item.depth}
            >
              <PostCard item={item} now={now} focused={item.id === id} />
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
