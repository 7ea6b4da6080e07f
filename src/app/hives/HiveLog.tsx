/**
 * A hive's public moderation log, newest first: every decision that counted (the charter, settings, approvals,
 * bans and lifted bans, moderators made and unmade, removals), overruled ones too, with who made it (the owner's
 * are signed by the hive's own key), when, whom or what it was about, and why (a removal's reason).
 */
import type { PseudonymSummary } from '../../../workers/api/api-types.ts';
import type { HiveLogEntry } from '../../protocol/hive-state.ts';
import type { ObjectId, PseudonymId } from '../../protocol/ids.ts';
import { formatFullTime, formatRelativeTime } from '../timeline/relative-time.ts';
import { HivePerson } from './HivePerson.tsx';
import { LOG_VERBS, type ShownHive, actorOf, logNewestFirst, settingsWords } from './hive-view.ts';
import { seenAs } from './use-hive.ts';

export function HiveLog({ me, state }: { readonly me: PseudonymSummary; readonly state: ShownHive }) {
  const entries = logNewestFirst(state);
  return (
    <section className="hive-section" aria-labelledby="hive-log-title">
      <h2 id="hive-log-title" className="section-title">
        Moderation log
      </h2>
      <p className="field-hint">Public: every reader computes it from the same signed decisions.</p>
      <ol className="hive-log" aria-label="Moderation log, newest first">
        {entries.map((entry) => (
          <li key={`${entry.stamp[1]} ${entry.stamp[2]}`} data-testid="log-entry">
            <LogLine me={me} state={state} entry={entry} />
          </li>
        ))}
      </ol>
    </section>
  );
}

function LogLine({ me, state, entry }: { me: PseudonymSummary; state: ShownHive; entry: HiveLogEntry }) {
  const ts = entry.stamp[0];
  const target = entry.target;
  const aboutPerson = target !== undefined && entry.action !== 'remove';
  return (
    <>
      <time dateTime={new Date(ts).toISOString()} title={formatFullTime(ts)} className="hive-meta">
        {formatRelativeTime(ts, Date.now())}
      </time>{' '}
      <HivePerson me={me} id={actorOf(state, entry)} />
      <span className="hive-role"> ({entry.role})</span> {LOG_VERBS[entry.action]}
      {aboutPerson && (
        <>
          {' '}
          <HivePerson me={me} id={target as PseudonymId} />
        </>
      )}
      {entry.action === 'remove' && target && ` ${seenAs(target as ObjectId) ?? 'a post or comment'}`}
      {entry.settings && entry.action === 'settings' && `: ${settingsWords(entry.settings)}`}
      {entry.reason && (
        <>
          {' — why: '}
          <q data-testid="log-reason">{entry.reason}</q>
        </>
      )}
    </>
  );
}
