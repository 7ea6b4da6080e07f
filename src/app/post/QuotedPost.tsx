/** The post a quote points at, small and inside the quoting post (read from the thread data held here). */
import { useEffect, useState } from 'react';
import type { TimelineItem } from '../../../workers/api/api-types.ts';
import type { ObjectId } from '../../protocol/ids.ts';
import { useCore } from '../core/use-core.ts';
import { Markdown } from '../markdown/Markdown.tsx';
import { threadHref } from '../nav/route.ts';
import { PersonLabel, authorOf } from '../people/PersonLabel.tsx';
import { usePostEnv } from './post-env.ts';

export function QuotedPost({ id }: { readonly id: ObjectId }) {
  const core = useCore();
  const { viewer } = usePostEnv();
  const [item, setItem] = useState<TimelineItem | null>();
  useEffect(() => {
    let live = true;
    core.findThread(viewer, id).then(
      (thread) => live && setItem(thread?.items.find((i) => i.id === id) ?? null),
      () => live && setItem(null),
    );
    return () => {
      live = false;
    };
  }, [core, viewer, id]);
  return (
    <blockquote className="quoted" data-testid="quoted-post">
      {item ? (
        <>
          <p className="quoted-author">
            <PersonLabel person={authorOf(item)} />
          </p>
          <Markdown source={item.body} className="post-body" />
        </>
      ) : (
        <p className="quoted-missing">
          {item === null ? 'The quoted post is not on this device.' : 'Loading the quoted post…'}
        </p>
      )}
      <a className="quoted-link" href={threadHref(id)}>
        Open quoted post
      </a>
    </blockquote>
  );
}
