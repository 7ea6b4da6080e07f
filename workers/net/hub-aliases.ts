/**
 * Each pseudonym of this device reaches a hub at a name of its own when the
 * hub has aliases (src/protocol/hub-aliases.ts): the browser pools
 * connections per origin, so two pseudonyms sending to two names never share
 * a connection a hub could link them by. The hub says whether it has aliases
 * in its /.well-known/murmur.json, read once per hub (a request that names
 * no one); each pseudonym draws a random label per hub, kept in memory only:
 * a new one every time the worker starts, tied to nothing stored.
 * A hub without aliases, or one whose info cannot be read now, is reached at
 * its own name, as before.
 */
import { aliasOrigin } from '../../src/protocol/hub-aliases.ts';
import { toHex } from '../../src/protocol/bytes.ts';
import type { PseudonymId } from '../../src/protocol/ids.ts';
import { type Fetch, type HubClient, createHubClient } from './hub-client.ts';

/** Random bytes in a label: 80 bits, 20 hex characters. */
const LABEL_BYTES = 10;

type Random = (array: Uint8Array<ArrayBuffer>) => Uint8Array;

export class HubAliases {
  readonly #info: (origin: string) => HubClient;
  readonly #random: Random;
  /** Per hub origin: its alias pattern once read (undefined: it has none). */
  readonly #patterns = new Map<string, string | undefined>();
  readonly #reading = new Map<string, Promise<void>>();
  readonly #labels = new Map<string, string>();

  /** @param plain the hub client that reads a hub's info at its own name */
  constructor(plain: (origin: string) => HubClient, random: Random) {
    this.#info = plain;
    this.#random = random;
  }

  /** Where `as` sends requests meant for `origin`: its alias there, or undefined (the hub's own name). */
  async via(origin: string, as: PseudonymId): Promise<string | undefined> {
    if (!this.#patterns.has(origin)) await this.#read(origin);
    return this.knownVia(origin, as);
  }

  /** As `via`, from what is known now (for a URL made at once, such as a stream's). */
  knownVia(origin: string, as: PseudonymId): string | undefined {
    const pattern = this.#patterns.get(origin);
    return pattern === undefined ? undefined : aliasOrigin(origin, pattern, this.#label(origin, as));
  }

  #label(origin: string, as: PseudonymId): string {
    const key = `${origin} ${as}`;
    let label = this.#labels.get(key);
    if (label === undefined) {
      label = toHex(this.#random(new Uint8Array(LABEL_BYTES)));
      this.#labels.set(key, label);
    }
    return label;
  }

  /** Reads the hub's info once at a time; a failure leaves it unknown, to be read again next time. */
  #read(origin: string): Promise<void> {
    let reading = this.#reading.get(origin);
    if (!reading) {
      reading = this.#info(origin)
        .hubInfo()
        .then(
          (info) => {
            this.#patterns.set(origin, typeof info.aliases === 'string' ? info.aliases : undefined);
          },
          () => {},
        )
        .finally(() => this.#reading.delete(origin));
      this.#reading.set(origin, reading);
    }
    return reading;
  }
}

/**
 * A hub client for `as` that sends each request to its alias of `origin` (HubAliases), resolved before the
 * first; `make(via)` makes the client for one destination. Its `origin` is the hub's own name.
 */
export function aliasedClient(
  origin: string,
  as: PseudonymId,
  aliases: HubAliases,
  make: (via: string | undefined) => HubClient,
): HubClient {
  const plain = make(undefined);
  const methods: Record<string, unknown> = { origin: plain.origin };
  for (const [name, value] of Object.entries(plain)) {
    if (typeof value !== 'function') continue;
    methods[name] =
      name === 'streamUrl'
        ? (...args: unknown[]) => call(make(aliases.knownVia(origin, as)), name, args)
        : async (...args: unknown[]) => call(make(await aliases.via(origin, as)), name, args);
  }
  return methods as unknown as HubClient;
}

function call(client: HubClient, name: string, args: unknown[]): unknown {
  return (client as unknown as Record<string, (...a: unknown[]) => unknown>)[name]!(...args);
}

/** What every module reaches hubs through: the hub at `origin`, for `as` when the request is made for one. */
export type HubOf = (origin: string, as?: PseudonymId) => HubClient;

/** One client per destination, each pseudonym's requests at its own alias of a hub that has them. */
export function hubClients(fetch: Fetch, random: Random): HubOf {
  const clients = new Map<string, HubClient>();
  const make = (origin: string, via: string | undefined) => {
    const key = `${origin} ${via ?? ''}`;
    let client = clients.get(key);
    if (!client) {
      client = createHubClient(origin, fetch, random, via === undefined ? {} : { via });
      clients.set(key, client);
    }
    return client;
  };
  const aliases = new HubAliases((origin) => make(origin, undefined), random);
  const forPseudonym = new Map<string, HubClient>();
  return (origin, as) => {
    if (as === undefined) return make(origin, undefined);
    const key = `${origin} ${as}`;
    let client = forPseudonym.get(key);
    if (!client) {
      client = aliasedClient(origin, as, aliases, (via) => make(origin, via));
      forPseudonym.set(key, client);
    }
    return client;
  };
}
