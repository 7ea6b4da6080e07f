/**
 * The hub store acceptance suite's cases for retirements (contract.ts runs
 * them for every store): a retirement releases its author's names and no
 * one else's, a released name can be claimed by another, the retired key can
 * claim nothing again, and a second retirement changes nothing.
 *
 * This is test code (it imports vitest), named as the layer test expects.
 */
import { expect } from 'vitest';
import { ProtocolError } from '../../protocol/errors.ts';
import { buildHandleClaim } from '../../protocol/handles.ts';
import { type SecretKey, pseudonymOf, secretKeyFrom } from '../../protocol/keys.ts';
import { buildRetirement } from '../../protocol/retirement.ts';
import type { WithStore } from './contract.ts';

const [aliceKey, bobKey] = [11, 12].map((n) => secretKeyFrom(new Uint8Array(32).fill(n))) as [SecretKey, SecretKey];
const alice = pseudonymOf(aliceKey);
const claim = (key: SecretKey, name: string) => buildHandleClaim(key, { name, host: 'hub.example', ts: 1 });

async function outcome(promise: Promise<unknown>): Promise<string> {
  try {
    return String(await promise);
  } catch (error) {
    return error instanceof ProtocolError ? error.name : `not a ProtocolError: ${String(error)}`;
  }
}

export function registerRetirementCases(withStore: WithStore): void {
  withStore('retirements: release the author’s names only; the retired key claims nothing again', async (store) => {
    const { handles } = store;
    for (const name of ['alice', 'alice2']) await handles.putClaim(claim(aliceKey, name));
    await handles.putClaim(claim(bobKey, 'bob'));
    expect(await handles.findRetirement(alice)).toBeUndefined();
    const retirement = buildRetirement(aliceKey, { ts: 2 });
    expect(await handles.retire(retirement)).toBe('created');
    expect(await handles.retire(retirement)).toBe('held');
    expect(new Uint8Array((await handles.findRetirement(alice))!.bytes)).toEqual(retirement.bytes);
    expect([await handles.findClaim('alice'), await handles.findClaim('alice2')]).toEqual([undefined, undefined]);
    expect((await handles.findClaim('bob'))?.claim.author).toBe(pseudonymOf(bobKey));
    expect(await outcome(handles.putClaim(claim(aliceKey, 'alice')))).toBe('Retired');
    expect(await outcome(handles.putClaim(claim(aliceKey, 'fresh')))).toBe('Retired');
    expect(await handles.putClaim(claim(bobKey, 'alice'))).toBe('created');
    expect((await handles.findClaim('alice'))?.claim.author).toBe(pseudonymOf(bobKey));
  });

  withStore('retirements: a claim racing its author’s retirement does not outlive it', async ({ handles }) => {
    const racing = ['r1', 'r2', 'r3'].map((name) => outcome(handles.putClaim(claim(aliceKey, name))));
    await handles.retire(buildRetirement(aliceKey, { ts: 3 }));
    await Promise.all(racing);
    for (const name of ['r1', 'r2', 'r3']) expect(await handles.findClaim(name)).toBeUndefined();
  });
}
