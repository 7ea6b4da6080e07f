/**
 * A post opened from its link (`#/link/<commit>?hub=...&k=...`): fetched from
 * the hub the link names and opened on this device with the key in the URL
 * fragment, which no server is sent. Shown whether or not this browser has a
 * pseudonym; without the key, or with another post's, nothing is shown.
 */
import { useEffect, useState } from 'react';
import type { TimelineItem } from '../../../workers/api/api-types.ts';
import { useCore } from '../core/use-core.ts';
import { Markdown } from '../markdown/Markdown.tsx';
import type { Route } from '../nav/route.ts';
import { MediaImage } from '../post/MediaImage.tsx';
import { PostHeader } from '../post/PostHeader.tsx';
import { runAction } from '../post/run-action.ts';
import { useNow } from '../timeline/use-now.ts';

type LinkRoute = Extract<Route, { name: 'link' }>;
type State = { kind: 'loading' } | { kind: 'shown'; item: TimelineItem } | { kind: 'refused'; text: string };

export default function LinkScreen({ link }: { readonly link: LinkRoute }) {
  const core = useCore();
  const now = useNow();
  const [state, setState] = useState<State>({ kind: 'loading' });
  const { commit, hub, key } = link;
  useEffect(() => {
    let live = true;
    setState({ kind: 'loading' });
    void runAction(() => core.openLink({ commit, hub, key }), 'link').then((result) => {
      if (live) setState(result.ok ? { kind: 'shown', item: result.value } : { kind: 'refused', text: result.text });
    });
    return () => {
      live = false;
    };
  }, [core, commit, hub, key]);
  return (
    <section className="screen" aria-labelledby="link-title">
      <h1 id="link-title" className="screen-title">
        A post shared by link
      </h1>
      {state.kind === 'loading' && <p className="timeline-loading">Opening the post…</p>}
      {state.kind === 'refused' && (
        <p className="message message-error" role="alert">
          {state.text}
        </p>
      )}
      {state.kind === 'shown' && (
        <article className="post post-focused" data-testid="post" aria-label="Post shared by link">
          <div className="post-main">
            <PostHeader item={state.item} now={now} />
            <Markdown source={state.item.body} className="post-body" testId="post-body" />
            {state.item.media && state.item.media.length > 0 && (
              <div className="post-media">
                {state.item.media.map((id, i) => (
                  <MediaImage
                    key={id}
                    id={id}
                    post={state.item.id}
                    alt={`Image ${i + 1} of ${state.item.media?.length ?? 0} in the post shared by link`}
                  />
                ))}
              </div>
            )}
            <p className="composer-note">
              Opened on this device with the key in the link; the key was sent to no server.
            </p>
          </div>
        </article>
      )}
    </section>
  );
}
