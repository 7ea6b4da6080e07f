/**
 * The hub store acceptance suite's cases for inbox policies (contract.ts runs
 * them for every store): the newest by seq wins, a repeat is 'held', an older
 * or equal seq with other bytes is StalePolicy, and racing writers of one
 * pseudonym's policy leave exactly one winner per seq; the boards listed are
 * the pseudonyms whose newest policy is a board.
 *
 * This is test code (it imports vitest), named as the layer test expects.
 */
import { expect } from 'vitest';
import { ProtocolError } from '../../protocol/errors.ts';
import { type InboxMode, type SignedInboxPolicy, buildInboxPolicy } from '../../protocol/inbox-policy.ts';
import { type SecretKey, pseudonymOf, secretKeyFrom } from '../../protocol/keys.ts';
import type { WithStore } from './contract.ts';

const aliceKey = secretKeyFrom(new Uint8Array(32).fill(7));
const alice = pseudonymOf(aliceKey);
const bob = pseudonymOf(secretKeyFrom(new Uint8Array(32).fill(8)));
const hiveKeys = [9, 10, 11].map((b) => secretKeyFrom(new Uint8Array(32).fill(b)));

function policy(key: SecretKey, seq: number, mode: InboxMode = 'closed', salt = 1): SignedInboxPolicy {
  return buildInboxPolicy(
    key,
    { mode, senders: [bob], seq, ts: 1_700_000_000_000 + seq },
    new Uint8Array(16).fill(salt),
  );
}

async function outcome(promise: Promise<unknown>): Promise<string> {
  try {
    return String(await promise);
  } catch (error) {
    return error instanceof ProtocolError ? error.name : `not a ProtocolError: ${String(error)}`;
  }
}

export function registerPolicyCases(withStore: WithStore): void {
  withStore('inbox policies: the greatest seq wins; a repeat is held; an older one is StalePolicy', async (store) => {
    const { inbox } = store;
    expect(await inbox.findPolicy(alice)).toBeUndefined();
    expect(await inbox.putPolicy(policy(aliceKey, 2))).toBe('created');
    expect(await inbox.putPolicy(policy(aliceKey, 2))).toBe('held');
    expect(await outcome(inbox.putPolicy(policy(aliceKey, 2, 'open')))).toBe('StalePolicy');
    expect(await outcome(inbox.putPolicy(policy(aliceKey, 1, 'open')))).toBe('StalePolicy');
    expect((await inbox.findPolicy(alice))!.bytes).toEqual(policy(aliceKey, 2).bytes);
    expect(await inbox.putPolicy(policy(aliceKey, 3, 'public'))).toBe('created');
    expect((await inbox.findPolicy(alice))!.policy.mode).toBe('public');
    expect(await inbox.findPolicy(bob)).toBeUndefined();
  });

  withStore('inbox policies: of racing policies at one seq exactly one is kept', async ({ inbox }) => {
    const racing = Array.from({ length: 6 }, (_, i) => policy(aliceKey, 5, 'allowlist', i + 1));
    const outcomes = await Promise.all(racing.map((p) => outcome(inbox.putPolicy(p))));
    expect(outcomes.filter((o) => o === 'created')).toHaveLength(1);
    expect(outcomes.filter((o) => o === 'StalePolicy')).toHaveLength(racing.length - 1);
    expect((await inbox.findPolicy(alice))!.bytes).toEqual(racing[outcomes.indexOf('created')]!.bytes);
  });

  withStore(
    'inbox policies: the boards listed are the pseudonyms whose newest policy is a board',
    async ({ inbox }) => {
      const [herons, ponds, reeds] = hiveKeys as [SecretKey, SecretKey, SecretKey];
      expect(await inbox.listBoards()).toEqual([]);
      await inbox.putPolicy(policy(herons, 1, 'board'));
      await inbox.putPolicy(policy(ponds, 1, 'board'));
      await inbox.putPolicy(policy(reeds, 1, 'open'));
      await inbox.putPolicy(policy(aliceKey, 1, 'public'));
      expect(new Set(await inbox.listBoards())).toEqual(new Set([pseudonymOf(herons), pseudonymOf(ponds)]));
      // A board that becomes an inbox leaves the list, and an inbox that becomes a board joins it.
      await inbox.putPolicy(policy(ponds, 2, 'closed'));
      await inbox.putPolicy(policy(reeds, 2, 'board'));
      expect(new Set(await inbox.listBoards())).toEqual(new Set([pseudonymOf(herons), pseudonymOf(reeds)]));
    },
  );
}
