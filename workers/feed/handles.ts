/**
 * Handles: claiming `name@home-host` for a pseudonym (a signed claim PUT to
 * its home hub) and resolving someone's handle by WebFinger on their hub,
 * verifying the signed claim the hub returns, so a hub can withhold a handle
 * but never point it at another key.
 */
import { refreshAuthorRows } from '../store/timeline-rows.ts';
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
import type { Verify } from '../../src/protocol/keys.ts';
import { WEBFINGER_CLAIM, WEBFINGER_PSEUDONYM } from '../../src/protocol/routes.ts';
import type { CoreDb } from '../store/db.ts';
import type { HubClient } from '../net/hub-client.ts';
import { getPseudonym, getSecretKey, homeHubOf } from '../keys/keyring.ts';

export interface HandleDeps {
  readonly db: CoreDb;
  readonly hub: (origin: string) => HubClient;
  readonly now: () => number;
  readonly verify: Verify;
}

/**
 * Claims `name` on the pseudonym's home hub and records the handle locally.
 * @throws ProtocolError InvalidField, HandleTaken, WrongHost, NotFound; CoreError Offline
 */
export async function claimHandle(
  deps: HandleDeps,
  pseudonym: PseudonymId,
  rawName: string,
): Promise<{ handle: string }> {
  const name = rawName.trim().toLowerCase().replace(/^@/, '');
  if (!isHandleName(name)) {
    throw new ProtocolError('InvalidField', 'a handle is 1 to 32 lowercase letters, digits, _ . or -', {
      field: 'name',
    });
  }
  const row = await getPseudonym(deps.db, pseudonym);
  const home = homeHubOf(row);
  const host = new URL(home).host;
  const claim = buildHandleClaim(await getSecretKey(deps.db, pseudonym), { name, host, ts: deps.now() });
  await deps.hub(home).putHandle(name, claim.bytes);
  const handle = formatHandle({ name, host });
  const tx = deps.db.transaction('pseudonyms', 'readwrite');
  const current = await tx.store.get(pseudonym);
  if (current) await tx.store.put({ ...current, handle });
  await tx.done;
  // Own timeline rows carry the handle the author is shown with.
  await refreshAuthorRows(deps.db, [pseudonym]);
  return { handle };
}

export interface ResolvedHandle {
  readonly target: PseudonymId;
  /** Normalized `name@host`. */
  readonly handle: string;
  /** The origin of the hub that resolved it (where the feed lives). */
  readonly hub: string;
}

/**
 * Resolves `name@host` with WebFinger on that host's hub and checks the signed claim.
 * @throws ProtocolError InvalidField (not a handle), NotFound, BadSignature, WrongAuthor, WrongHost, DecodeError;
 *         CoreError Offline
 */
export async function resolveHandle(deps: Pick<HandleDeps, 'hub' | 'verify'>, text: string): Promise<ResolvedHandle> {
  const { name, host } = parseHandle(text);
  const handle = formatHandle({ name, host });
  const origin = hubOrigin(host);
  const jrd = await deps.hub(origin).webfinger(`acct:${handle}`);
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
  return { target: id, handle, hub: origin };
}
