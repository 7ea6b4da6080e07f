/**
 * A hive's posts, New (the default: newest first) or Top over the window the reader picks (day, week, month, all
 * time): a choice in the route, never a ranking by default.
 */
import type { PseudonymSummary } from '../../../workers/api/api-types.ts';
import type { HiveAddress } from '../../../workers/api/hives-types.ts';
import { type TopWindow, TOP_WINDOWS, hiveHref } from '../nav/route.ts';
import { HivePostCard } from './HivePostCard.tsx';
import { type ShownHive, type Standing, commentCounts, sortPosts } from './hive-view.ts';
import type { HiveReader } from './use-hive.ts';

const WINDOW_WORDS: Record<TopWindow, string> = {
  day: 'Top today',
  week: 'Top this week',
  month: 'Top this month',
  all: 'Top of all time',
};

export function HivePosts({
  me,
  at,
  state,
  standing,
  reader,
  top,
}: {
  readonly me: PseudonymSummary;
  readonly at: HiveAddress;
  readonly state: ShownHive;
  readonly standing: Standing;
  readonly reader: HiveReader;
  readonly top: TopWindow | undefined;
}) {
  const posts = sortPosts(state.posts, top, Date.now());
  const counts = commentCounts(state.comments);
  const sorts: readonly (readonly [TopWindow | undefined, string])[] = [
    [undefined, 'New'],
    ...TOP_WINDOWS.map((w) => [w, WINDOW_WORDS[w]] as const),
  ];
  return (
    <section className="hive-section" aria-labelledby="hive-posts-title">
      <h2 id="hive-posts-title" className="section-title">
        Posts
      </h2>
      <nav aria-label="Sort posts" className="hive-sorts">
        {sorts.map(([window, words]) => (
          <a key={words} href={hiveHref(at, window)} aria-current={top === window ? 'page' : undefined}>
            {words}
          </a>
        ))}
      </nav>
      {posts.length === 0 ? (
        <p className="field-hint" data-testid="hive-no-posts">
          {top && state.posts.length > 0 ? 'No posts in this window.' : 'No posts yet.'}
        </p>
      ) : (
        <ol className="hive-list" aria-label={top ? WINDOW_WORDS[top] : 'Newest posts'}>
          {posts.map((post) => (
            <li key={post.id}>
              <HivePostCard
                me={me}
                at={at}
                post={post}
                comments={counts.get(post.id) ?? 0}
                moderates={standing.moderates}
                reader={reader}
              />
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
