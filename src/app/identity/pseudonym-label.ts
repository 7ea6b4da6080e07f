/** How pseudonyms and authors are named on screen. */
import type { PseudonymSummary } from '../../../workers/api/api-types.ts';

/** The first 8 hex digits of a public key: enough to tell keys apart at a glance. */
export function shortFingerprint(id: string): string {
  return `${id.slice(0, 8)}…`;
}

/** Handle when claimed, else the display name. */
export function pseudonymLabel(p: PseudonymSummary): string {
  return p.handle ?? (p.name.trim() || shortFingerprint(p.id));
}

/** The host part of handles claimed on this hub (`host[:port]`). */
export function homeHost(): string {
  return location.host;
}
