/**
 * Gives the posts under it their viewer and a composer for replies and
 * quotes (one modal dialog, quoting or answering the chosen post).
 */
import { type ReactNode, useMemo, useState } from 'react';
import type { PseudonymSummary } from '../../../workers/api/api-types.ts';
import { Markdown } from '../markdown/Markdown.tsx';
import { PersonLabel, authorOf } from '../people/PersonLabel.tsx';
import { type ComposeTarget, type PostEnv, PostEnvContext } from '../post/post-env.ts';
import { Modal } from '../shell/Modal.tsx';
import { Composer } from './Composer.tsx';

export function ComposeHost({
  pseudonym,
  children,
}: {
  readonly pseudonym: PseudonymSummary;
  readonly children?: ReactNode;
}) {
  const [target, setTarget] = useState<ComposeTarget>();
  const home = pseudonym.hubs[0];
  const env = useMemo<PostEnv>(
    () => ({ viewer: pseudonym.id, ...(home && { home }), compose: setTarget }),
    [pseudonym.id, home],
  );
  const title = target?.kind === 'quote' ? 'Quote post' : 'Reply';
  return (
    <PostEnvContext value={env}>
      {children}
      <Modal open={target !== undefined} title={title} onClose={() => setTarget(undefined)} wide>
        {target && (
          <>
            <blockquote className="quoted">
              <p className="quoted-author">
                <PersonLabel person={authorOf(target.item)} />
              </p>
              <Markdown source={target.item.body} className="post-body" />
            </blockquote>
            <Composer
              key={`${target.kind}${target.item.id}`}
              pseudonym={pseudonym}
              target={target}
              autoFocus
              onPosted={() => setTarget(undefined)}
            />
          </>
        )}
      </Modal>
    </PostEnvContext>
  );
}
