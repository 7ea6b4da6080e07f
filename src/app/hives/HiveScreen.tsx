/**
 * A hive's page (`#/hives/<hive>?hub=...`): what it is and where the viewer stands (join, leave, its link), the
 * submit form, its posts New or Top over the reader's window, its members, the moderators' tools for the owner
 * and moderators, and the public moderation log. Everything shown is the hive's state computed on this device
 * from the signed entries its hubs hold (src/protocol/hive-state.ts); it is read again now and then, and after
 * each act until the act shows.
 */
import type { PseudonymSummary } from '../../../workers/api/api-types.ts';
import type { HiveAddress } from '../../../workers/api/hives-types.ts';
import { type TopWindow, routeHref } from '../nav/route.ts';
import { HiveAbout } from './HiveAbout.tsx';
import { HiveLog } from './HiveLog.tsx';
import { HiveMembers } from './HiveMembers.tsx';
import { HivePosts } from './HivePosts.tsx';
import { HiveReadStatus, NoHive } from './HiveReadStatus.tsx';
import { HiveSettingsForm } from './HiveSettingsForm.tsx';
import { standingOf } from './hive-view.ts';
import { SubmitPost } from './SubmitPost.tsx';
import { hiveKey, useHive } from './use-hive.ts';
import '../styles/hives.css';

export default function HiveScreen({
  pseudonym,
  at,
  top,
}: {
  readonly pseudonym: PseudonymSummary;
  readonly at: HiveAddress;
  readonly top: TopWindow | undefined;
}) {
  return (
    <section className="screen hive-screen" aria-labelledby="hive-title">
      <p>
        <a href={routeHref({ name: 'hives' })}>← Hives</a>
      </p>
      {at.hubs.length === 0 ? (
        <NoHive at={at} />
      ) : (
        <Hive key={hiveKey(pseudonym.id, at)} pseudonym={pseudonym} at={at} top={top} />
      )}
    </section>
  );
}

function Hive({
  pseudonym,
  at,
  top,
}: {
  readonly pseudonym: PseudonymSummary;
  readonly at: HiveAddress;
  readonly top: TopWindow | undefined;
}) {
  const reader = useHive(pseudonym.id, at);
  const state = reader.read?.state;
  const standing = state?.exists ? standingOf(state, pseudonym.id) : undefined;
  return (
    <>
      {!state && (
        <h1 id="hive-title" className="screen-title">
          Hive
        </h1>
      )}
      {state && !state.exists && <NoHive at={at} />}
      {state?.exists && standing && (
        <HiveAbout me={pseudonym} at={at} state={state} standing={standing} reader={reader} />
      )}
      <HiveReadStatus reader={reader} />
      {state?.exists && standing && (
        <>
          <SubmitPost me={pseudonym} at={at} standing={standing} reader={reader} />
          <HivePosts me={pseudonym} at={at} state={state} standing={standing} reader={reader} top={top} />
          <HiveMembers me={pseudonym} at={at} state={state} standing={standing} reader={reader} />
          {standing.moderates && (
            <HiveSettingsForm me={pseudonym} at={at} state={state} reader={reader} owner={standing.role === 'owner'} />
          )}
          <HiveLog me={pseudonym} state={state} />
        </>
      )}
    </>
  );
}
