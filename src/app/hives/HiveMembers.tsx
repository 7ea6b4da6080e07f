/**
 * Who takes part in a hive: the members (the owner and moderators first), those waiting for approval, and
 * those banned; each named as this device knows them. The owner and moderators decide here: approve, ban, lift
 * a ban; the owner also makes and unmakes moderators. A moderator may not ban the owner or another moderator
 * (the hive's state would not count it), so those buttons are only the owner's.
 */
import { useState } from 'react';
import type { PseudonymSummary } from '../../../workers/api/api-types.ts';
import type { HiveDecision } from '../../../workers/api/hives-types.ts';
import type { HiveMemberView } from '../../protocol/hive-state.ts';
import { useCore } from '../core/use-core.ts';
import { personText } from '../people/PersonLabel.tsx';
import { usePerson } from '../people/use-person.ts';
import { HivePerson } from './HivePerson.tsx';
import { type ShownHive, waitingMembers } from './hive-view.ts';
import type { HiveSectionProps } from './use-hive.ts';

const ROLE_ORDER = { owner: 0, moderator: 1, member: 2 } as const;

type Act = (
  decision: Extract<HiveDecision, { member: unknown }>,
  label: string,
  shown: (m: HiveMemberView | undefined, s: ShownHive) => boolean,
) => void;

export function HiveMembers({ me, at, state, standing, reader }: HiveSectionProps) {
  const core = useCore();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const members = state.members.filter((m) => m.admitted).sort((a, b) => ROLE_ORDER[a.role] - ROLE_ORDER[b.role]);
  const waiting = waitingMembers(state);
  const banned = state.members.filter((m) => m.banned);
  const owner = standing.role === 'owner';

  const decide: Act = async (decision, label, shown) => {
    setBusy(true);
    setError(undefined);
    const result = await reader.act(
      label,
      () => core.moderateHive(me.id, at, decision),
      (s) =>
        shown(
          s.members.find((m) => m.id === decision.member),
          s,
        ),
    );
    setBusy(false);
    if (!result.ok) setError(result.text);
  };
  const member = (m: HiveMemberView, action: 'approve' | 'ban' | 'unban') =>
    decide({ kind: 'member', member: m.id, action }, `the ${action === 'unban' ? 'lifted ban' : action}`, (x) =>
      action === 'ban' ? x?.banned === true : action === 'unban' ? x?.banned === false : x?.admitted === true,
    );
  const moderator = (m: HiveMemberView, action: 'add' | 'remove') =>
    decide({ kind: 'moderator', member: m.id, action }, 'the moderator change', (_, s) =>
      action === 'add' ? s.moderators.includes(m.id) : !s.moderators.includes(m.id),
    );

  const canBan = (m: HiveMemberView) => standing.moderates && m.id !== me.id && (owner || m.role === 'member');
  const row = (m: HiveMemberView, testId: string, actions: (Action | false)[], role?: string) => (
    <MemberRow key={m.id} me={me} m={m} testId={testId} role={role} busy={busy} actions={actions} />
  );

  return (
    <section className="hive-section" aria-labelledby="hive-members-title">
      <h2 id="hive-members-title" className="section-title">
        Members
      </h2>
      {error && (
        <p className="message message-error" role="alert">
          {error}
        </p>
      )}
      <ul className="hive-people" aria-label="Members">
        {members.map((m) =>
          row(
            m,
            'hive-member',
            [
              owner && m.role === 'member' && ['Make moderator', () => moderator(m, 'add')],
              owner && m.role === 'moderator' && ['Remove as moderator', () => moderator(m, 'remove')],
              canBan(m) && m.role !== 'owner' && ['Ban', () => member(m, 'ban'), true],
            ],
            m.role === 'member' ? undefined : m.role,
          ),
        )}
      </ul>
      {waiting.length > 0 && (
        <>
          <h3 className="hive-subtitle">Waiting for approval</h3>
          <ul className="hive-people" aria-label="Waiting for approval">
            {waiting.map((m) =>
              row(m, 'hive-waiting', [
                standing.moderates && ['Approve', () => member(m, 'approve')],
                owner && ['Make moderator', () => moderator(m, 'add')],
                canBan(m) && ['Ban', () => member(m, 'ban'), true],
              ]),
            )}
          </ul>
        </>
      )}
      {banned.length > 0 && (
        <>
          <h3 className="hive-subtitle">Banned</h3>
          <ul className="hive-people" aria-label="Banned">
            {banned.map((m) => row(m, 'hive-banned', [standing.moderates && ['Lift ban', () => member(m, 'unban')]]))}
          </ul>
        </>
      )}
    </section>
  );
}

/** A button's words, what it does, and whether it is a ban. */
type Action = readonly [string, () => void, boolean?];

/** A person with the decisions one may take on them, each button named with the person ("Ban Bob (bob@…)"). */
function MemberRow({
  me,
  m,
  testId,
  role,
  busy,
  actions,
}: {
  readonly me: PseudonymSummary;
  readonly m: HiveMemberView;
  readonly testId: string;
  readonly role: string | undefined;
  readonly busy: boolean;
  readonly actions: readonly (Action | false)[];
}) {
  const known = usePerson(me.id, m.id);
  const who = personText(m.id === me.id ? { id: m.id, name: me.name, handle: me.handle } : known);
  return (
    <li data-testid={testId}>
      <HivePerson me={me} id={m.id} />
      {role && <span className="hive-role"> {role}</span>}
      {actions.map(
        (a) =>
          a && (
            <button
              key={a[0]}
              type="button"
              className={`button button-small${a[2] ? ' button-danger' : ''}`}
              disabled={busy}
              onClick={a[1]}
              aria-label={`${a[0]} ${who}`}
            >
              {a[0]}
            </button>
          ),
      )}
    </li>
  );
}
