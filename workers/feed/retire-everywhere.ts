/**
 * Retiring a pseudonym for good: its signed retirement (src/protocol/
 * retirement.ts) put on every hub it uses, each of which releases its
 * handles there. Only then is it removed from the device (keyring.ts
 * retirePseudonym), so a hub that could not be reached leaves the pseudonym
 * here, to retire again.
 */
import type { PseudonymId } from '../../src/protocol/ids.ts';
import { buildRetirement } from '../../src/protocol/retirement.ts';
import { ProtocolError } from '../../src/protocol/errors.ts';
import type { HubClient } from '../net/hub-client.ts';
import type { KeySource } from '../keys/key-source.ts';

export interface RetireDeps {
  readonly keys: KeySource;
  readonly hub: (origin: string, as?: PseudonymId) => HubClient;
  readonly now: () => number;
}

/** @throws ProtocolError Forbidden (an agent's device); CoreError Locked; HubError Offline, ... (the first hub) */
export async function publishRetirement(deps: RetireDeps, pseudonym: PseudonymId): Promise<void> {
  if (await deps.keys.findAgent?.(pseudonym))
    throw new ProtocolError('Forbidden', 'only the owner’s own key can retire a pseudonym; this device acts for it');
  const signed = buildRetirement(await deps.keys.getSecretKey(pseudonym), { ts: deps.now() });
  for (const origin of await deps.keys.getHubs(pseudonym))
    await deps.hub(origin, pseudonym).putRetirement(pseudonym, signed.bytes);
}
