/**
 * Gives the posts under it their viewer and a composer for replies and
 * quotes (one modal dialog, ComposeDialog.tsx, quoting or answering the
 * chosen post, loaded when first needed).
 */
import { type ReactNode, Suspense, lazy, useMemo, useState } from 'react';
import type { PseudonymSummary } from '../../../workers/api/api-types.ts';
import { type ComposeTarget, type PostEnv, PostEnvContext } from '../post/post-env.ts';

const ComposeDialog = lazy(() => import('./ComposeDialog.tsx').then((m) => ({ default: m.ComposeDialog })));

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
  return (
    <PostEnvContext value={env}>
      {children}
      {target && (
        <Suspense fallback={null}>
          <ComposeDialog pseudonym={pseudonym} target={target} onClose={() => setTarget(undefined)} />
        </Suspense>
      )}
    </PostEnvContext>
  );
}
