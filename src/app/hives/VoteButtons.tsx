/**
 * Voting on a hive post or comment: +1 or -1, and pressing the vote one holds again withdraws it (0). The counts
 * are the hive state's (one standing vote per voter, from the signed votes), and so is the vote the viewer holds
 * (HiveRead.mine), shown pressed at once while a new one goes out.
 */
import { useState } from 'react';
import type { PseudonymSummary } from '../../../workers/api/api-types.ts';
import type { HiveAddress } from '../../../workers/api/hives-types.ts';
import type { HiveVotes } from '../../protocol/hive-state.ts';
import type { ObjectId } from '../../protocol/ids.ts';
import { useCore } from '../core/use-core.ts';
import type { HiveReader } from './use-hive.ts';
import { type VoteValue, countsAfter, nextVote } from './vote-rules.ts';

export function VoteButtons({
  me,
  at,
  target,
  votes,
  what,
  reader,
}: {
  readonly me: PseudonymSummary;
  readonly at: HiveAddress;
  readonly target: ObjectId;
  readonly votes: HiveVotes;
  /** What is voted on, for the buttons' names: "post A heron at dawn", "comment". */
  readonly what: string;
  readonly reader: HiveReader;
}) {
  const core = useCore();
  // The vote a read shows the viewer holding, or the one just pressed until a read shows it.
  const [pending, setPending] = useState<VoteValue>();
  const held = pending ?? reader.read?.mine[target] ?? 0;
  const [error, setError] = useState<string>();

  async function vote(pressed: 1 | -1) {
    const before = held;
    const next = nextVote(before, pressed);
    const expected = countsAfter(votes, before, next);
    setPending(next);
    setError(undefined);
    const result = await reader.act(
      next === 0 ? 'your withdrawn vote' : 'your vote',
      () => core.voteInHive(me.id, at, target, next),
      (s) => {
        const shown = [...s.posts, ...s.comments].find((x) => x.id === target);
        return !shown || (shown.votes.ups === expected.ups && shown.votes.downs === expected.downs);
      },
    );
    setPending(undefined);
    if (!result.ok) setError(result.text);
  }

  return (
    <div className="hive-votes">
      <button
        type="button"
        className="button button-small hive-vote"
        aria-pressed={held === 1}
        aria-label={`Vote up ${what}`}
        onClick={() => vote(1)}
      >
        <span aria-hidden="true">▲</span>
      </button>
      <span className="hive-vote-count" data-testid="votes">
        {votes.ups} up · {votes.downs} down
      </span>
      <button
        type="button"
        className="button button-small hive-vote"
        aria-pressed={held === -1}
        aria-label={`Vote down ${what}`}
        onClick={() => vote(-1)}
      >
        <span aria-hidden="true">▼</span>
      </button>
      {error && (
        <span className="message message-error" role="alert">
          {error}
        </span>
      )}
    </div>
  );
}
