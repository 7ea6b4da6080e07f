/**
 * Handle names and hosts: parsing and checking `name@host[:port]`. Kept apart
 * from the signed claims (handles.ts) so the UI can check a handle without
 * loading the signature code.
 */
import { ProtocolError } from './errors.ts';

const NAME = /^[a-z0-9_](?:[a-z0-9_.-]{0,30}[a-z0-9_])?$/;
const HOST = /^(?:[a-z0-9-]+(?:\.[a-z0-9-]+)*|\[[0-9a-f:]+\])(?::[0-9]{1,5})?$/;

export interface Handle {
  readonly name: string;
  readonly host: string;
}

export function isHandleName(name: unknown): name is string {
  return typeof name === 'string' && NAME.test(name);
}

export function isHost(host: unknown): host is string {
  return typeof host === 'string' && host.length <= 255 && HOST.test(host);
}

/** Parses `name@host` or `@name@host` (lowercased). @throws ProtocolError InvalidField */
export function parseHandle(text: string): Handle {
  const trimmed = text
    .trim()
    .toLowerCase()
    .replace(/^@/, '')
    .replace(/^acct:/, '');
  const at = trimmed.indexOf('@');
  const name = trimmed.slice(0, at);
  const host = trimmed.slice(at + 1);
  if (at < 1 || !isHandleName(name) || !isHost(host)) {
    throw new ProtocolError('InvalidField', `"${text}" is not a handle like alice@hub.example`, { field: 'handle' });
  }
  return { name, host };
}

export function formatHandle(handle: Handle): string {
  return `${handle.name}@${handle.host}`;
}

/** The origin to reach a hub at `host`: plain http only for loopback, where browsers allow it. */
export function hubOrigin(host: string): string {
  const bare = host.replace(/:[0-9]+$/, '');
  const loopback = bare === 'localhost' || bare === '[::1]' || /^127\.[0-9.]+$/.test(bare);
  return `${loopback ? 'http' : 'https'}://${host}`;
}

/**
 * The handle a person is found by now: `known`'s name on the host of the first hub its newest signed profile names
 * (`hubs`, PROTOCOL.md Moving hubs) when that is another host, since a move claims the same name at the new home or
 * does not happen; else `known`. A malformed handle or hub gives `known` back unchanged.
 */
export function currentHandle(known: string | undefined, signedHubs: unknown): string | undefined {
  const home = Array.isArray(signedHubs) ? signedHubs[0] : undefined;
  if (known === undefined || typeof home !== 'string') return known;
  try {
    const { host } = new URL(home);
    const handle = parseHandle(known);
    return handle.host === host || !isHost(host) ? known : formatHandle({ name: handle.name, host });
  } catch {
    return known; // a handle hint is unverified text: one that does not parse is shown as it is
  }
}
