/**
 * Followers and who of them may read "My approved followers" posts: the
 * people this device knows follow the pseudonym (by their verified follow
 * notices, or their feeds held here), waiting ones first, each with Approve
 * or Take off. Approval lives in the private state, so the pseudonym's other
 * devices seal to the same people; taking someone off seals later posts
 * without them, and the words say so. No one is approved by default.
 */
import { useId, useState } from 'react';
import type { FollowerView, PseudonymSummary } from '../../../workers/api/api-types.ts';
import { useCore } from '../core/use-core.ts';
import { useCoreQuery } from '../core/use-core-query.ts';
import { profileHref } from '../nav/route.ts';
import { PersonLabel, personText } from '../people/PersonLabel.tsx';
import { runAction } from '../post/run-action.ts';

export function FollowersSection({ pseudonym }: { readonly pseudonym: PseudonymSummary }) {
  const core = useCore();
  const me = pseudonym.id;
  const ids = useId();
  const [note, setNote] = useState<string>();
  const { data: followers, error } = useCoreQuery(
    `followers:${me}`,
    () => core.listFollowers(me),
    (c) => ['private', 'notifications', 'timeline', 'profile'].includes(c.kind) && (!c.pseudonym || c.pseudonym === me),
  );

  async function approve(follower: FollowerView, approved: boolean) {
    const result = await runAction(() => core.setFollowerApproved(me, follower.id, approved));
    const who = personText(follower);
    setNote(
      !result.ok
        ? result.text
        : approved
          ? `${who} can read your followers-only posts from now on.`
          : `${who} will not read your later followers-only posts; the ones before stay readable to them.`,
    );
  }

  return (
    <section className="settings-section card" aria-labelledby={`${ids}-title`} data-testid="followers-section">
      <h2 id={`${ids}-title`}>Followers</h2>
      <p className="field-hint">
        Posts for “My approved followers” are sealed on this device to the followers you approve here, so hubs hold only
        ciphertext. Taking someone off affects later posts only.
      </p>
      {error !== undefined && <p className="message message-error">Your followers could not be read.</p>}
      {followers?.length === 0 && <p className="field-hint">No one follows you yet, as far as this device knows.</p>}
      {followers && followers.length > 0 && (
        <ul className="privacy-entries" aria-label="Your followers">
          {followers.map((f) => (
            <li key={f.id} className="privacy-entry" data-testid="follower">
              <a href={profileHref(f.id)}>
                <PersonLabel person={f} />
              </a>
              <span className="field-hint">
                {f.approved ? ' Approved' : ' Waiting'}
                {!f.canRead && ' (has not turned on private messages yet, so cannot be sealed to)'}
              </span>
              <button
                type="button"
                className="button button-small button-quiet"
                disabled={!f.approved && !f.canRead}
                onClick={() => void approve(f, !f.approved)}
              >
                {f.approved ? 'Take off' : 'Approve'}
                <span className="visually-hidden"> {personText(f)}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
      <p className="field-hint" role="status">
        {note}
      </p>
    </section>
  );
}
