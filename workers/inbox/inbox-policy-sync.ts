/**
 * A pseudonym's inbox policy (src/protocol/inbox-policy.ts) as its private
 * settings say: `wantedPolicy` decides whose notices the inbox takes (pure),
 * `ensureInboxPolicy` reads the policy each of its hubs holds and puts a new
 * one where it says otherwise, and `inboxAdmits` is the same rule for the
 * client's own check of what a pull brings (a hub may hold an older policy,
 * or not apply it). Each request is the pseudonym's own, to its own hubs.
 */
import {
  type InboxMode,
  type InboxPolicy,
  admitsSender,
  buildInboxPolicy,
  decodeInboxPolicy,
  verifyInboxPolicy,
} from '../../src/protocol/inbox-policy.ts';
import type { PseudonymId } from '../../src/protocol/ids.ts';
import type { Verify } from '../../src/protocol/keys.ts';
import type { KeySource } from '../keys/key-source.ts';
import type { HubClient } from '../net/hub-client.ts';
import { errorName } from '../errors.ts';

export interface WantedPolicy {
  readonly mode: InboxMode;
  /** Who a `closed` or `allowlist` inbox takes notices from (never the pseudonym itself: always admitted). */
  readonly senders: readonly PseudonymId[];
}

/**
 * @param follows whom the pseudonym follows publicly: a `closed` inbox admits them. Private follows are left out,
 *   since the policy is public and anyone can test a candidate id against it (PROTOCOL.md, Inbox policies).
 */
export function wantedPolicy(
  owner: PseudonymId,
  settings: { readonly inboxMode: InboxMode; readonly inboxAllow: readonly { readonly value: PseudonymId }[] },
  follows: readonly PseudonymId[],
): WantedPolicy {
  const listed =
    settings.inboxMode === 'closed' ? follows : settings.inboxMode === 'allowlist' ? settings.inboxAllow : [];
  const senders = [...new Set(listed.map((s) => (typeof s === 'string' ? s : s.value)))].filter((s) => s !== owner);
  return { mode: settings.inboxMode, senders: senders.sort() };
}

/** wantedPolicy, with the public follows read from `store` only when a closed inbox needs them. */
export async function wantedPolicyOf(
  owner: PseudonymId,
  settings: Parameters<typeof wantedPolicy>[1],
  store: { listFollows(pseudonym: PseudonymId): Promise<readonly { target: PseudonymId; active: boolean }[]> },
): Promise<WantedPolicy> {
  const follows = settings.inboxMode === 'closed' ? await store.listFollows(owner) : [];
  return wantedPolicy(
    owner,
    settings,
    follows.filter((f) => f.active).map((f) => f.target),
  );
}

/** Whether a held policy admits exactly whom `wanted` does. */
export function policySays(held: InboxPolicy, wanted: WantedPolicy): boolean {
  if (held.mode !== wanted.mode) return false;
  if (held.senders === undefined) return true;
  return held.senders.length === wanted.senders.length && wanted.senders.every((s) => admitsSender(held, s));
}

/** The client's own check: whether a notice from `from` is one the owner's inbox takes. */
export function inboxAdmits(owner: PseudonymId, wanted: WantedPolicy): (from: PseudonymId) => boolean {
  if (wanted.mode === 'open' || wanted.mode === 'public' || wanted.mode === 'board') return () => true;
  const senders = new Set(wanted.senders);
  return (from) => from === owner || senders.has(from);
}

export interface InboxPolicyDeps {
  readonly keys: KeySource;
  readonly hub: (origin: string, as?: PseudonymId) => HubClient;
  readonly verify: Verify;
  readonly now: () => number;
  /** Fills the array with random bytes (crypto.getRandomValues) and returns it. */
  readonly random: (array: Uint8Array<ArrayBuffer>) => Uint8Array;
}

/**
 * Puts the wanted policy on each of the owner's hubs that holds another (or none, unless the wanted one is
 * `open`: what a hub with no policy does). A device acting as an agent signs none: the policy is the owner's.
 * @returns how many hubs were given a new policy.
 * @throws CoreError Offline, HubError (the first hub that could not be read or written)
 */
export async function ensureInboxPolicy(
  deps: InboxPolicyDeps,
  owner: PseudonymId,
  wanted: WantedPolicy,
): Promise<number> {
  if (await deps.keys.findAgent?.(owner)) return 0;
  let put = 0;
  for (const origin of await deps.keys.getHubs(owner)) {
    const hub = deps.hub(origin, owner);
    const { held, seq } = await heldPolicy(deps, hub, owner);
    if (held ? policySays(held, wanted) : wanted.mode === 'open' && seq === 0) continue;
    const now = deps.now();
    const signed = buildInboxPolicy(
      await deps.keys.getSecretKey(owner),
      { ...wanted, seq: Math.max(now, seq + 1), ts: now },
      deps.random(new Uint8Array(16)),
    );
    try {
      await hub.putInboxPolicy(owner, signed.bytes);
      put++;
    } catch (error) {
      // Another device of the owner put a newer one meanwhile: the next pass compares against it.
      if (errorName(error) !== 'StalePolicy') throw error;
    }
  }
  return put;
}

/**
 * The policy a hub holds for `owner` when it is really the owner's (a hub could answer anything), and the seq a
 * new one must pass: what the hub holds, verified or not, is what it compares against.
 */
async function heldPolicy(
  deps: InboxPolicyDeps,
  hub: HubClient,
  owner: PseudonymId,
): Promise<{ held?: InboxPolicy; seq: number }> {
  const bytes = await hub.findInboxPolicy(owner);
  if (!bytes) return { seq: 0 };
  try {
    const signed = decodeInboxPolicy(bytes);
    const seq = signed.policy.seq;
    if (signed.policy.author === owner && (await verifyInboxPolicy(signed, deps.verify)))
      return { held: signed.policy, seq };
    return { seq };
  } catch {
    return { seq: 0 }; // not a policy at all: ours goes over it
  }
}
