/**
 * Mute or block a feed from its profile (private: only this pseudonym's own devices know); and, when the inbox
 * takes only the people it names, name this one or take them off the list.
 */
import { useState } from 'react';
import type { PseudonymId } from '../../protocol/ids.ts';
import { useCore } from '../core/use-core.ts';
import { runAction } from '../post/run-action.ts';
import { usePrivateSettings } from './use-private-settings.ts';

export function ProfilePrivacy({
  viewer,
  target,
  name,
}: {
  readonly viewer: PseudonymId;
  readonly target: PseudonymId;
  readonly name: string;
}) {
  const core = useCore();
  const { data } = usePrivateSettings(viewer);
  const [busy, setBusy] = useState(false);
  const [note, setNote] = useState<string>();
  const muted = data?.mutedUsers.some((e) => e.value === target) ?? false;
  const blocked = data?.blocked.some((e) => e.value === target) ?? false;
  const allowed = data?.inboxAllow.some((e) => e.value === target) ?? false;
  // The name isolated (U+2068 FSI ... U+2069 PDI), so a bidi control in it cannot turn the rest of the sentence around.
  const who = `\u2068${name}\u2069`;

  async function run(call: () => ReturnType<typeof core.setMute>, done: string) {
    setBusy(true);
    const result = await runAction(call);
    setBusy(false);
    setNote(result.ok ? done : result.text);
  }

  return (
    <div className="profile-privacy">
      <button
        type="button"
        className="button button-secondary"
        aria-pressed={muted}
        disabled={busy || !data}
        onClick={() =>
          void run(
            () => core.setMute(viewer, 'user', target, !muted),
            muted ? `Unmuted ${who}` : `Muted ${who}: their posts are hidden`,
          )
        }
      >
        {muted ? 'Unmute' : 'Mute'}
      </button>
      <button
        type="button"
        className="button button-secondary"
        aria-pressed={blocked}
        disabled={busy || !data}
        onClick={() =>
          void run(
            () => core.setBlock(viewer, target, !blocked),
            blocked ? `Unblocked ${who}` : `Blocked ${who}: nothing of theirs is fetched or shown`,
          )
        }
      >
        {blocked ? 'Unblock' : 'Block'}
      </button>
      {data?.inboxMode === 'allowlist' && (
        <button
          type="button"
          className="button button-secondary"
          aria-pressed={allowed}
          disabled={busy}
          onClick={() =>
            void run(
              () => core.setInboxAllow(viewer, target, !allowed),
              allowed ? `${who} can no longer reach your inbox` : `${who} can reach your inbox`,
            )
          }
        >
          {allowed ? 'Remove from your inbox list' : 'Let them reach your inbox'}
        </button>
      )}
      <p className="profile-privacy-note" role="status">
        {note}
      </p>
    </div>
  );
}
