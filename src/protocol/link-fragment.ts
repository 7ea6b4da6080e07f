/**
 * A secret link's key in a URL fragment (audience.ts: link audiences), in a
 * module with no crypto and no error table of its own, so reading a post row
 * (the core worker's first script) can write one without loading either.
 * Reading one back (parseLinkFragment) is audience.ts's.
 */
import { toBase64url } from './bytes.ts';

/** What a link's fragment starts with. */
export const LINK_PREFIX = '#k=';

/** The URL fragment that carries a link secret: `#k=` and the 32 bytes in unpadded base64url (43 characters). */
export function linkFragment(linkSecret: Uint8Array): string {
  if (linkSecret.length !== 32) throw new RangeError('a link secret is 32 bytes');
  return LINK_PREFIX + toBase64url(linkSecret);
}
