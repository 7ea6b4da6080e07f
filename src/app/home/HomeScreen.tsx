/** The home screen of one pseudonym: write, follow, filter, read. Mounted per pseudonym (keyed by its id). */
import { useState } from 'react';
import type { PseudonymSummary } from '../../../workers/api/api-types.ts';
import { Composer } from '../compose/Composer.tsx';
import { FollowButton } from '../follow/FollowButton.tsx';
import { Timeline } from '../timeline/Timeline.tsx';
import { TimelineFilters } from '../timeline/TimelineFilters.tsx';
import type { FeedQuery } from '../timeline/use-timeline-feed.ts';

export function HomeScreen({
  pseudonym,
  compose,
}: {
  readonly pseudonym: PseudonymSummary;
  readonly compose?: boolean;
}) {
  const [query, setQuery] = useState<FeedQuery>({ order: 'newest' });
  return (
    <div className="home">
      <h1 className="visually-hidden">Home</h1>
      <Composer key={compose ? 'new' : 'home'} pseudonym={pseudonym} autoFocus={compose} />
      <div className="section-head">
        <h2>Timeline</h2>
        <FollowButton pseudonym={pseudonym.id} />
      </div>
      <TimelineFilters viewer={pseudonym.id} query={query} onChange={setQuery} />
      <Timeline pseudonym={pseudonym.id} query={query} />
    </div>
  );
}
