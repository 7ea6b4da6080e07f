/**
 * A secret link's key in a URL fragment (audience.ts: link audiences), in a
 * module with no crypto of its own, so reading a post row (the core worker's
 * first script) can write one without loading the ciphers.
 */
import { fromBase64url, toBase64url } from './bytes.ts';
import { ProtocolError } from './errors.ts';

const LINK_PREFIX = '#k=';

/** The URL fragment that carries a link secret: `#k=` and the 32 bytes in unpadded base64url (43 characters). */
export function linkFragment(linkSecret: Uint8Array): string {
  if (linkSecret.length !== 32) throw new RangeError('a link secret is 32 bytes');
  return LINK_PREFIX + toBase64url(linkSecret);
}

/**
 * The link secret in a fragment (`location.hash`, with its `#`). Only the exact form `linkFragment` writes is
 * accepted, so one secret has one spelling (the last character's 2 unused bits are zero).
 * @throws ProtocolError MalformedLink
 */
export function parseLinkFragment(fragment: string): Uint8Array {
  const secret = fragment.startsWith(LINK_PREFIX) ? fromBase64url(fragment.slice(LINK_PREFIX.length)) : undefined;
  if (secret?.length !== 32 || linkFragment(secret) !== fragment) {
    throw new ProtocolError(
      'MalformedLink',
      'this link does not carry a key: expected #k= and 43 base64url characters',
    );
  }
  return secret;
}
