/**
 * A post's byline: name, handle (links to the profile), verified and agent marks, time (links to the thread),
 * who it is for, edited, queued.
 */
import { Suspense, lazy, useState } from 'react';
import type { TimelineItem } from '../../../workers/api/api-types.ts';
import { profileHref, threadHref } from '../nav/route.ts';
import { formatFullTime, formatRelativeTime } from '../timeline/relative-time.ts';
import { AgentMark } from './AgentMark.tsx';
import { AudienceMark } from './AudienceMark.tsx';
import { authorLabel } from './author-label.ts';
import { VerifiedMark } from './VerifiedMark.tsx';

// Loaded when first opened (an edited post's history).
const HistoryDialog = lazy(() => import('./HistoryDialog.tsx').then((m) => ({ default: m.HistoryDialog })));

export function PostHeader({ item, now }: { readonly item: TimelineItem; readonly now: number }) {
  const [history, setHistory] = useState(false);
  const name = item.authorName?.trim();
  return (
    <header className="post-meta">
      <a className="post-byline" href={profileHref(item.author)}>
        {name && (
          <span className="post-name" data-testid="post-name">
            {name}
          </span>
        )}
        <span className={name ? 'post-handle' : 'post-author-strong'} data-testid="post-author" title={item.author}>
          {authorLabel(item)}
        </span>
      </a>
      {item.verified === true && <VerifiedMark />}
      {item.agent && <AgentMark agent={item.agent} owner={name || authorLabel(item)} />}
      <span className="post-dot" aria-hidden="true">
        ·
      </span>
      <a className="post-time" href={threadHref(item.id)} title={formatFullTime(item.ts)}>
        <time dateTime={new Date(item.ts).toISOString()}>{formatRelativeTime(item.ts, now)}</time>
        <span className="visually-hidden"> (open thread)</span>
      </a>
      <AudienceMark audience={item.audience} />
      {item.edited && (
        <button type="button" className="post-edited" data-testid="edited" onClick={() => setHistory(true)}>
          edited<span className="visually-hidden">: show history</span>
        </button>
      )}
      {item.queued && (
        <span
          className="post-queued"
          data-testid="queued"
          title="Saved on this device; it goes out when your hub is reachable"
        >
          Queued
        </span>
      )}
      {history && (
        <Suspense fallback={null}>
          <HistoryDialog item={item} open onClose={() => setHistory(false)} />
        </Suspense>
      )}
    </header>
  );
}
