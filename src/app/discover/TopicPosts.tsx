/**
 * A topic page's posts (core.readTopic): the newest public posts carrying
 * the topic from the people listed under it, followed or not, newest first;
 * their feeds are fetched for this pseudonym as the page opens, a few at a
 * time. Asked again when the timeline or mutes change.
 */
import type { Change, PseudonymSummary, TopicView } from '../../../workers/api/api-types.ts';
import { describeError } from '../core/error-text.ts';
import { useCore } from '../core/use-core.ts';
import { useCoreQuery } from '../core/use-core-query.ts';
import { PostCard } from '../post/PostCard.tsx';
import { useNow } from '../timeline/use-now.ts';

export function TopicPosts({ me, topic }: { readonly me: PseudonymSummary['id']; readonly topic: string }) {
  const core = useCore();
  const now = useNow();
  const view = useCoreQuery(
    `topic:${me}:${topic}`,
    async (): Promise<TopicView> => {
      const result = await core.readTopic(me, topic);
      if (!result.ok) throw Object.assign(new Error(result.message), { name: result.error });
      return result.value;
    },
    (c: Change) => (c.kind === 'private' || c.kind === 'timeline') && c.pseudonym === me,
  );
  const posts = view.data?.posts ?? [];
  const status = view.error
    ? ''
    : !view.data
      ? 'Fetching their posts…'
      : posts.length === 0
        ? `No posts on #${topic} yet from people listed under it.`
        : `${posts.length} recent ${posts.length === 1 ? 'post' : 'posts'} on #${topic}, newest first.`;
  return (
    <section aria-labelledby="topic-posts-title" className="topic-posts">
      <h2 id="topic-posts-title" className="section-title">
        Recent posts on #{topic}
      </h2>
      {status && (
        <output className="search-status" aria-live="polite" data-testid="topic-status">
          {status}
        </output>
      )}
      {view.error !== undefined && (
        <p className="message message-error" role="alert">
          Could not read this topic: {describeError('load', view.error)}
        </p>
      )}
      {posts.length > 0 && (
        <ol className="search-results" aria-label={`Posts on #${topic}`}>
          {posts.map((item) => (
            <li key={item.id}>
              <PostCard item={item} now={now} />
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
