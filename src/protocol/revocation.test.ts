/**
 * Revoking an agent (feed-state.ts): the agent's commits the owner had seen
 * when revoking still count; those after or beside the revocation are
 * refused, whatever order the commits arrive in.
 */
import { describe, expect, test } from 'vitest';
import { buildDelegation } from './agents.ts';
import { fromHex, utf8 } from './bytes.ts';
import { type SignedCommit, buildCommit } from './commits.ts';
import { describeFeedState, feedState, shownVersion } from './feed-state.ts';
import { type ObjectId, hashBytes } from './ids.ts';
import { pseudonymOf } from './keys.ts';
import type { Op } from './ops.ts';

const owner = fromHex('01'.repeat(32));
const agentKey = fromHex('03'.repeat(32));
const agent = pseudonymOf(agentKey);
const delegation = buildDelegation(owner, { agent, scope: ['post', 'react'], expires: 2_000_000_000_000, name: 'bot' });
const postId = (name: string) => hashBytes(utf8(name)) as ObjectId;
const post = (name: string): Op => ({ type: 'post', object: postId(name) });

function byOwner(parents: readonly SignedCommit[], ts: number, ops: Op[]): SignedCommit {
  return buildCommit(owner, { parents: parents.map((p) => p.id), seq: next(parents), ts, ops });
}
function byAgent(parents: readonly SignedCommit[], ts: number, ops: Op[]): SignedCommit {
  const agentField = { id: agent, model: 'm-1', delegation };
  return buildCommit(agentKey, { parents: parents.map((p) => p.id), seq: next(parents), ts, ops, agent: agentField });
}
function next(parents: readonly SignedCommit[]): number {
  return parents.length === 0 ? 1 : 1 + Math.max(...parents.map((p) => p.commit.seq));
}

// root <- earlier (agent) <- revoke (owner) <- later (agent); beside <- earlier, concurrent with revoke;
// merge (owner) joins revoke and beside.
const root = byOwner([], 1000, [post('root')]);
const earlier = byAgent([root], 2000, [post('earlier'), { type: 'react', target: postId('root'), emoji: '👍' }]);
const revoke = byOwner([earlier], 3000, [{ type: 'revoke', agent }]);
const later = byAgent([revoke], 4000, [post('later')]);
const beside = byAgent([earlier], 3500, [post('beside')]);
const merge = buildCommit(owner, { parents: [revoke.id, beside.id], seq: 4, ts: 5000, ops: [] });
const all = [root, earlier, revoke, later, beside, merge].map((c) => ({ id: c.id, commit: c.commit }));

const shown = (commits: typeof all) => {
  const state = feedState(commits);
  return [...state.posts.keys()].filter((id) => shownVersion(state, id) !== undefined).sort();
};

describe('revoking an agent', () => {
  test('earlier agent posts still show; later and concurrent ones are refused', () => {
    expect(shown(all)).toEqual([postId('earlier'), postId('root')].sort());
    const state = feedState(all);
    expect(state.refused).toEqual(new Set([later.id, beside.id]));
    expect(state.reactions.get(`${postId('root')} 👍`)?.value).toBe(true);
  });

  test('before the revocation arrives, every agent commit counts', () => {
    const without = all.filter((c) => c.id !== revoke.id && c.id !== later.id && c.id !== merge.id);
    expect(shown(without)).toEqual([postId('beside'), postId('earlier'), postId('root')].sort());
  });

  test('the order of arrival does not matter', () => {
    const picture = describeFeedState(feedState(all));
    for (let seed = 1; seed <= 20; seed++) {
      let s = seed;
      const shuffled = [...all, ...all].sort(() => {
        s = (s * 1103515245 + 12345) % 2147483648;
        return (s % 3) - 1;
      });
      expect(describeFeedState(feedState(shuffled))).toEqual(picture);
    }
  });

  test('the feed lists its agents, the revoked one marked', () => {
    const state = feedState(all);
    expect(state.agents.get(agent)?.value).toMatchObject({ model: 'm-1', name: 'bot', scope: ['post', 'react'] });
    expect(state.revoked).toEqual(new Set([agent]));
    expect(feedState(all.slice(0, 2)).revoked.size).toBe(0);
  });

  test('an author-declared agent (no delegation) is never refused by a revocation', () => {
    const declared = buildCommit(owner, {
      parents: [revoke.id],
      seq: 4,
      ts: 4500,
      ops: [post('declared')],
      agent: { id: agent, model: 'm-1' },
    });
    expect(shown([...all, { id: declared.id, commit: declared.commit }])).toContain(postId('declared'));
  });
});
