/** Follow or unfollow this feed as the pseudonym on screen. */
import { useState } from 'react';
import type { ProfileView } from '../../../workers/api/api-types.ts';
import type { PseudonymId } from '../../protocol/ids.ts';
import { useCore } from '../core/use-core.ts';
import { runAction } from '../post/run-action.ts';

export function FollowButton({
  viewer,
  profile,
  named = false,
}: {
  readonly viewer: PseudonymId;
  readonly profile: Pick<ProfileView, 'id' | 'handle' | 'followed' | 'name'>;
  /** Whom it follows, said to screen readers too: where a list holds many follow buttons. */
  readonly named?: boolean;
}) {
  const core = useCore();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const handle = profile.handle;
  const label = named ? (profile.name ?? handle) : undefined;

  async function toggle() {
    setBusy(true);
    setError(undefined);
    const result = profile.followed
      ? await runAction(() => core.unfollow(viewer, profile.id))
      : handle
        ? await runAction(() => core.follow(viewer, handle), 'follow')
        : ({ ok: false, text: 'This feed has no handle to follow' } as const);
    setBusy(false);
    if (!result.ok) setError(result.text);
  }

  return (
    <div className="follow-button">
      <button
        type="button"
        className={`button ${profile.followed ? 'button-secondary' : 'button-primary'}`}
        disabled={busy}
        onClick={() => void toggle()}
      >
        {profile.followed ? 'Unfollow' : 'Follow'}
        {label && <span className="visually-hidden"> {label}</span>}
      </button>
      <p className="message message-error" role="alert">
        {error}
      </p>
    </div>
  );
}
