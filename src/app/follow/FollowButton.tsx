/**
 * "Follow someone" on Home: the button is in the first screen, the dialog
 * behind it (FollowDialog.tsx) is a chunk loaded when it is first pressed.
 */
import { Suspense, lazy, useState } from 'react';
import type { PseudonymId } from '../../protocol/ids.ts';

const FollowDialog = lazy(() => import('./FollowDialog.tsx').then((m) => ({ default: m.FollowDialog })));

export function FollowButton({ pseudonym, onFollowed }: { pseudonym: PseudonymId; onFollowed?: () => void }) {
  const [opens, setOpens] = useState(0);
  return (
    <>
      <button type="button" className="button button-secondary" onClick={() => setOpens((n) => n + 1)}>
        <svg viewBox="0 0 20 20" width="18" height="18" aria-hidden="true" focusable="false">
          <circle cx="8" cy="7" r="3.2" fill="none" stroke="currentColor" strokeWidth="1.8" />
          <path
            d="M2.5 16.5c.8-3 3-4.5 5.5-4.5s4.7 1.5 5.5 4.5M15.5 6v6M12.5 9h6"
            fill="none"
            stroke="currentColor"
            strokeWidth="1.8"
            strokeLinecap="round"
          />
        </svg>
        Follow someone
      </button>
      {opens > 0 && (
        <Suspense fallback={null}>
          <FollowDialog pseudonym={pseudonym} opens={opens} {...(onFollowed && { onFollowed })} />
        </Suspense>
      )}
    </>
  );
}
