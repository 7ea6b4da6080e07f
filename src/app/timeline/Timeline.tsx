/**
 * The timeline: own and followed posts, chronological, virtualized, paged
 * with the cursor as you scroll, live without moving what you read.
 */
import { useCallback } from 'react';
import type { TimelineItem } from '../../../workers/api/api-types.ts';
import type { PseudonymId } from '../../protocol/ids.ts';
import { describeError } from '../core/error-text.ts';
import { useStartBackground } from '../core/use-start-background.ts';
import { PostCard } from '../post/PostCard.tsx';
import { LateSpinner } from '../shell/LateSpinner.tsx';
import { NewPostsButton } from './NewPostsButton.tsx';
import { useNow } from './use-now.ts';
import { type FeedQuery, useTimelineFeed } from './use-timeline-feed.ts';
import { VirtualList } from './VirtualList.tsx';

export interface TimelineProps {
  readonly pseudonym: PseudonymId;
  readonly query: FeedQuery;
  readonly label?: string;
  readonly empty?: string;
}

const AT_TOP = 120;
const getKey = (item: TimelineItem) => item.id;

export function Timeline({ pseudonym, query, label = 'Timeline', empty }: TimelineProps) {
  const atTop = useCallback(() => window.scrollY < AT_TOP, []);
  const feed = useTimelineFeed(pseudonym, query, atTop);
  const now = useNow();
  const { items, loading, pending, error, loadMore, reveal, setVisibleFrom } = feed;
  // The first page (or why there is none) is on screen: the core may start syncing now.
  useStartBackground(items !== undefined || error !== undefined);
  const renderItem = useCallback((item: TimelineItem) => <PostCard item={item} now={now} />, [now]);
  return (
    <div className="timeline" aria-busy={loading || undefined}>
      {error !== undefined && (
        <p className="message message-error" role="alert">
          Could not read the timeline: {describeError('load', error)}
        </p>
      )}
      {pending.length > 0 && (
        <NewPostsButton
          count={pending.length}
          onReveal={() => {
            reveal();
            window.scrollTo({ top: 0 });
          }}
        />
      )}
      {loading && !items?.length && (
        <p className="timeline-loading">
          <LateSpinner /> Loading the timeline…
        </p>
      )}
      {items !== undefined && (
        <VirtualList
          items={items}
          getKey={getKey}
          renderItem={renderItem}
          label={label}
          className="timeline-list"
          onEndReached={loadMore}
          onFirstVisible={setVisibleFrom}
        />
      )}
      {items?.length === 0 && !loading && (
        <div className="timeline-empty">
          <p className="timeline-empty-title">Nothing here yet</p>
          <p>{empty ?? 'Write your first post above, or follow someone to fill your timeline.'}</p>
        </div>
      )}
      {items !== undefined && items.length > 0 && feed.done && <p className="timeline-end">You are all caught up.</p>}
    </div>
  );
}
