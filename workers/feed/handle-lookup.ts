/**
 * Handles over any hub client, with no storage: claiming `name@home-host`
 * (a signed claim PUT to the home hub) and resolving someone's handle by
 * WebFinger on their hub, verifying the signed claim the hub returns, so a
 * hub can withhold a handle but never point it at another key. The worker
 * (handles.ts, which also records the handle in IndexedDB) and the command
 * line both use these.
 */
import { utf8 } from '../../src/protocol/bytes.ts';
import { ProtocolError } from '../../src/protocol/errors.ts';
import {
  buildHandleClaim,
  decodeHandleClaim,
  formatHandle,
  hubOrigin,
  isHandleName,
  parseHandle,
  verifyHandleClaim,
} from '../../src/protocol/handles.ts';
import { type PseudonymId, isPseudonymId } from '../../src/protocol/ids.ts';
import { type SecretKey, type Verify, pseudonymOf } from '../../src/protocol/keys.ts';
import { WEBFINGER_CLAIM, WEBFINGER_PSEUDONYM } from '../../src/protocol/routes.ts';
import type { HubClient } from '../net/hub-client.ts';
import { findCurrentHubs } from './pointer.ts';

/**
 * The name as claimed: trimmed, lowercased, a leading @ dropped.
 * @throws ProtocolError InvalidField when it is not a handle name
 */
export function checkHandleName(rawName: string): string {
  const name = rawName.trim().toLowerCase().replace(/^@/, '');
  if (!isHandleName(name)) {
    throw new ProtocolError('InvalidField', 'a handle is 1 to 32 lowercase letters, digits, _ . or -', {
      field: 'name',
    });
  }
  return name;
}

/**
 * Signs a claim of `rawName` (trimmed, lowercased, a leading @ dropped) on the `home` hub and puts it there.
 * @returns the handle as `name@host`
 * @throws ProtocolError InvalidField, HandleTaken, WrongHost; CoreError Offline
 */
export async function putHandleClaim(
  hub: (origin: string, as?: PseudonymId) => HubClient,
  secretKey: SecretKey,
  home: string,
  rawName: string,
  now: number,
): Promise<string> {
  const name = checkHandleName(rawName);
  const host = new URL(home).host;
  const claim = buildHandleClaim(secretKey, { name, host, ts: now });
  await hub(home, pseudonymOf(secretKey)).putHandle(name, claim.bytes);
  return formatHandle({ name, host });
}

export interface ResolvedHandle {
  readonly target: PseudonymId;
  /** Normalized `name@host`. */
  readonly handle: string;
  /**
   * Where the feed lives: the origin of the hub that resolved it, or, when the feed moved away from there, the
   * home its signed pointer on that hub names (pointer.ts).
   */
  readonly hub: string;
}

/**
 * Resolves `name@host` with WebFinger on that host's hub and checks the signed claim; then follows the feed's
 * signed pointer when that hub's head of it is one (a person who moved hubs keeps being found by the old handle),
 * unless `followPointer` is false (a caller about to read the feed, which finds the pointer there itself).
 * @throws ProtocolError InvalidField (not a handle), NotFound, BadSignature (a claim, head or pointer not signed by
 *         the pseudonym), WrongAuthor, WrongHost, DecodeError, HashMismatch; CoreError Offline
 */
export async function resolveHandle(
  deps: { readonly hub: (origin: string, as?: PseudonymId) => HubClient; readonly verify: Verify },
  text: string,
  options: { readonly followPointer?: boolean; readonly as?: PseudonymId } = {},
): Promise<ResolvedHandle> {
  const { name, host } = parseHandle(text);
  const handle = formatHandle({ name, host });
  const origin = hubOrigin(host);
  const jrd = await deps.hub(origin, options.as).webfinger(`acct:${handle}`);
  const id = jrd.properties?.[WEBFINGER_PSEUDONYM];
  const claimText = jrd.properties?.[WEBFINGER_CLAIM];
  if (!isPseudonymId(id) || typeof claimText !== 'string') {
    throw new ProtocolError('DecodeError', `${host} answered for ${handle} without a pseudonym and a signed claim`);
  }
  const signed = decodeHandleClaim(utf8(claimText));
  const { claim } = signed;
  if (claim.name !== name || claim.host !== host) {
    throw new ProtocolError('WrongHost', `${host} answered for ${handle} with a claim for ${formatHandle(claim)}`);
  }
  if (claim.author !== id)
    throw new ProtocolError('WrongAuthor', `${host} names ${id} for ${handle}, but the claim is by ${claim.author}`);
  if (!(await verifyHandleClaim(signed, deps.verify)))
    throw new ProtocolError('BadSignature', `the claim for ${handle} is not signed by its pseudonym`);
  if (options.followPointer === false) return { target: id, handle, hub: origin };
  const [home] = await findCurrentHubs(deps, id, origin, options.as);
  return { target: id, handle, hub: home ?? origin };
}
