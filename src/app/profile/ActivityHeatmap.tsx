/** 52 weeks x 7 days of posts, darker for busier days, with a summary in words for everyone. */
import { useId } from 'react';
import { dateOfIndex, level, summarizeActivity } from './activity-summary.ts';

const CELL = 11;
const GAP = 2;

export function ActivityHeatmap({ activity, now }: { readonly activity: readonly number[]; readonly now: number }) {
  const id = useId();
  const days = activity.slice(-364);
  const max = Math.max(0, ...days);
  const summary = summarizeActivity(days, now);
  return (
    <figure className="heatmap" aria-labelledby={`${id}-cap`}>
      <svg
        viewBox={`0 0 ${52 * (CELL + GAP)} ${7 * (CELL + GAP)}`}
        className="heatmap-grid"
        role="img"
        aria-label={`Activity heatmap. ${summary}`}
        data-testid="heatmap"
      >
        {days.map((count, i) => {
          const day = dateOfIndex(i, days.length, now).toISOString().slice(0, 10);
          return (
            <rect
              key={day}
              x={Math.floor(i / 7) * (CELL + GAP)}
              y={(i % 7) * (CELL + GAP)}
              width={CELL}
              height={CELL}
              rx={2}
              className={`heat heat-${level(count, max)}`}
            >
              <title>{`${day}: ${count}`}</title>
            </rect>
          );
        })}
      </svg>
      <figcaption id={`${id}-cap`} className="heatmap-summary" data-testid="heatmap-summary">
        {summary}
      </figcaption>
    </figure>
  );
}
