/**
 * Hub aliases: more names for one hub, so that each pseudonym of a device
 * reaches it at a name of its own. A browser pools connections per origin:
 * two pseudonyms sending to one origin share keep-alive connections, and the
 * hub could link them by the socket their requests came on. A hub whose
 * operator points a wildcard name at it (`*.hub.example`, or `*.localhost`,
 * which browsers resolve to loopback themselves) says so in its
 * /.well-known/murmur.json as `aliases: "*.hub.example"` (with `:port`
 * when not the scheme's default); a client
 * then sends each pseudonym's requests to `<label>.hub.example`, a label
 * drawn at random for that pseudonym and hub, on its own connections. The
 * hub takes requests signed for any such name as signed for itself.
 */

/** A label: what a client puts before the pattern's suffix (lowercase letters and digits, as a DNS label). */
const LABEL = /^[a-z0-9]{1,63}$/;
/** `*.` and a host[:port] of DNS labels. */
const PATTERN = /^\*\.((?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)(:\d{1,5})?$/;

/** Whether `pattern` is an alias pattern a hub may advertise: `*.` then a lowercase host, an optional port. */
export function isAliasPattern(pattern: string): boolean {
  return PATTERN.test(pattern);
}

/** The host[:port] `label` names under `pattern`; undefined for a malformed pattern or label. */
export function aliasHost(pattern: string, label: string): string | undefined {
  return isAliasPattern(pattern) && LABEL.test(label) ? `${label}${pattern.slice(1)}` : undefined;
}

/** Whether `host` (host[:port], lowercase) is one name under `pattern`: one label, then its suffix exactly. */
export function isAliasOf(pattern: string, host: string): boolean {
  if (!isAliasPattern(pattern)) return false;
  const suffix = pattern.slice(1);
  return host.endsWith(suffix) && LABEL.test(host.slice(0, -suffix.length));
}

/** The origin `label` reaches a hub at: the hub's scheme, the alias host. */
export function aliasOrigin(origin: string, pattern: string, label: string): string | undefined {
  const host = aliasHost(pattern, label);
  return host === undefined ? undefined : `${new URL(origin).protocol}//${host}`;
}
