/**
 * The soak: three built hubs mirroring each other and simulated clients (the
 * real core over fake-indexeddb, one device each) posting, following and
 * reading, while hubs are SIGKILLed and started again at random. At the end,
 * with every hub up, every post a client made must be on every hub once
 * (walked from each hub's signed head and verified) and in every follower's
 * timeline once. Run briefly by soak.spec.ts and for as long as asked by
 * scripts/soak.mjs. Waits are for conditions; `settleMs` only bounds them.
 */
import 'fake-indexeddb/auto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PseudonymId } from '../src/protocol/ids.ts';
import type { TimelineItem } from '../workers/api/api-types.ts';
import { type HubProcess, freePort, spawnHub } from '../src/hub/testing/hub-process.ts';
import { type Device, openDevice } from '../workers/testing/device.ts';
import { postsOnHub } from './hub-inspect.ts';

export interface SoakOptions {
  /** The built hub's main.js. */
  readonly main: string;
  /** How long clients post while hubs are killed, at least. */
  readonly runMs: number;
  /**
   * Posts to make, at least: posting (and killing) goes on past runMs until this many are made, so a busy
   * machine makes as many as a quiet one rather than fewer (a condition, not a guess at speed).
   */
  readonly minPosts?: number;
  readonly clients?: number;
  readonly hubs?: number;
  /** Each client follows this many others. */
  readonly follows?: number;
  readonly seed?: number;
  /** Bound on each wait for the system to settle at the end (a condition, not a guess at speed). */
  readonly settleMs?: number;
  readonly log?: (line: string) => void;
}

export interface SoakSummary {
  readonly posts: number;
  readonly kills: number;
  /** Posts checked on hubs (posts x hubs) and in followers' timelines. */
  readonly checkedOnHubs: number;
  readonly checkedInTimelines: number;
}

interface Client {
  readonly device: Device;
  readonly id: PseudonymId;
  readonly handle: string;
  readonly home: number;
  readonly posted: string[];
  readonly follows: number[];
}

/** Mulberry32: a seeded PRNG so a failing run can be replayed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` until it returns undefined (done) or `bound` ms pass. @throws Error with the last reason. */
async function settle(what: string, bound: number, check: () => Promise<string | undefined>): Promise<void> {
  const until = Date.now() + bound;
  let reason: string | undefined;
  for (let wait = 50; ; wait = Math.min(wait * 2, 1000)) {
    reason = await check().catch((error: unknown) => `${(error as Error).message}`);
    if (reason === undefined) return;
    if (Date.now() > until) throw new Error(`soak: ${what} did not settle: ${reason}`);
    await pause(wait);
  }
}

/** @throws Error at the first post missing, doubled or unexpected anywhere once everything has settled. */
export async function runSoak(options: SoakOptions): Promise<SoakSummary> {
  const {
    main,
    runMs,
    minPosts = 0,
    clients: clientCount = 20,
    hubs: hubCount = 3,
    follows = 3,
    seed = Date.now() % 1e9,
    settleMs = 120_000,
    log = () => {},
  } = options;
  const random = prng(seed);
  const began = Date.now();
  const say = (line: string) => log(`${((Date.now() - began) / 1000).toFixed(1)} s ${line}`);
  const pick = (n: number) => Math.floor(random() * n);
  const root = await mkdtemp(join(tmpdir(), 'murmur-soak-'));
  const ports = await Promise.all(Array.from({ length: hubCount }, () => freePort()));
  const urls = ports.map((p) => `http://127.0.0.1:${p}`);
  // One client address floods on purpose here: rate limits and quotas are not what is soaked.
  const env = { MURMUR_RATE_IP: '0', MURMUR_RATE_PSEUDONYM: '0', MURMUR_QUOTA_BYTES: '0', MURMUR_LOG: 'off' };
  const start = (i: number) =>
    spawnHub(main, {
      dataDir: join(root, `hub${i}`),
      port: ports[i]!,
      env,
      args: ['--peers', urls.filter((_, j) => j !== i).join(',')],
    });
  say(`soak: ${hubCount} hubs, ${clientCount} clients, ${runMs} ms, seed ${seed}, data ${root}`);
  const hubs: (HubProcess | undefined)[] = await Promise.all(urls.map((_, i) => start(i)));
  const clients: Client[] = [];
  let kills = 0;
  try {
    clients.push(
      ...(await Promise.all(
        Array.from({ length: clientCount }, async (_, c): Promise<Client> => {
          const device = await openDevice();
          const home = c % hubCount;
          const { id } = await device.api.createPseudonym({ name: `Client ${c}`, homeHub: urls[home]! });
          const claimed = await device.api.claimHandle(id, `c${c}`);
          if (!claimed.ok)
            throw new Error(`soak: client ${c} could not claim its handle: ${claimed.error} ${claimed.message}`);
          await device.api.setActive(id);
          return { device, id, handle: claimed.value.handle, home, posted: [], follows: [] };
        }),
      )),
    );
    for (const client of clients) {
      while (client.follows.length < Math.min(follows, clientCount - 1)) {
        const other = pick(clientCount);
        if (client === clients[other] || client.follows.includes(other)) continue;
        client.follows.push(other);
      }
    }
    await Promise.all(
      clients.flatMap((client, c) =>
        client.follows.map(async (other) => {
          const followed = await client.device.api.follow(client.id, clients[other]!.handle);
          if (!followed.ok)
            throw new Error(`soak: client ${c} could not follow ${clients[other]!.handle}: ${followed.error}`);
        }),
      ),
    );
    say('soak: clients made, handles claimed, follows done');
    // Clients post at random moments while a chaos loop kills a random hub and starts it again.
    const until = Date.now() + runMs;
    let made = 0;
    const running = () => Date.now() < until || made < minPosts;
    const posting = clients.map(async (client, c) => {
      for (let n = 0; running(); n++) {
        await pause(200 + pick(800));
        const body = `soak c${c} post ${n}`;
        const result = await client.device.api.post(client.id, body);
        if (!result.ok) throw new Error(`soak: client ${c} could not post: ${result.error} ${result.message}`);
        client.posted.push(body);
        made++;
      }
    });
    const chaos = (async () => {
      while (running()) {
        await pause(1000 + pick(2000));
        const i = pick(hubCount);
        await hubs[i]!.stop('SIGKILL');
        hubs[i] = undefined;
        kills++;
        await pause(200 + pick(1000));
        hubs[i] = await start(i);
        say(`soak: killed and restarted hub ${i} (${kills} kills)`);
      }
    })();
    await Promise.all([...posting, chaos]);
    const posts = clients.reduce((n, c) => n + c.posted.length, 0);
    say(`soak: ${posts} posts made, ${kills} kills; settling`);

    // Everything queued goes out (the hubs are all up again), then mirrors and followers catch up.
    await settle('the outboxes', settleMs, async () => {
      for (const [c, client] of clients.entries()) {
        await client.device.api.syncNow(client.id);
        const status = await client.device.api.getSyncStatus(client.id);
        if (status.queued > 0 || status.state !== 'synced')
          return `client ${c}: ${status.state}, ${status.queued} queued ${status.message ?? ''}`;
      }
      return undefined;
    });
    say('soak: every outbox is empty');
    let checkedOnHubs = 0;
    await settle('the hubs', settleMs, async () => {
      checkedOnHubs = 0;
      for (const [h, url] of urls.entries()) {
        for (const [c, client] of clients.entries()) {
          const bodies = (await postsOnHub(url, client.id)).map((p) => p.body);
          const problem = sameOnce(bodies, client.posted);
          if (problem) return `hub ${h}, client ${c}: ${problem}`;
          checkedOnHubs += bodies.length;
        }
      }
      return undefined;
    });
    say('soak: every hub holds every post once');
    let checkedInTimelines = 0;
    await settle("the followers' timelines", settleMs, async () => {
      checkedInTimelines = 0;
      for (const [c, client] of clients.entries()) {
        const expected = [client.id, ...client.follows.map((f) => clients[f]!.id)];
        for (const author of expected) {
          const bodies = (await wholeFeed(client.device, client.id, author)).map((i) => i.body);
          const want = clients.find((x) => x.id === author)!.posted;
          const problem = sameOnce(bodies, want);
          if (problem) return `client ${c}'s timeline, author ${author.slice(0, 8)}: ${problem}`;
          checkedInTimelines += bodies.length;
        }
      }
      return undefined;
    });
    say(
      `soak: passed: ${posts} posts, each once on ${hubCount} hubs and in every follower's timeline, through ` +
        `${kills} hub kills`,
    );
    return { posts, kills, checkedOnHubs, checkedInTimelines };
  } finally {
    await Promise.all(clients.map((c) => c.device.close().catch(() => undefined)));
    await Promise.all(hubs.map((h) => h?.stop('SIGKILL')));
    await rm(root, { recursive: true, force: true });
  }
}

/** Every item of `author` in `viewer`'s timeline, page by page with the cursor. */
async function wholeFeed(device: Device, viewer: PseudonymId, author: PseudonymId): Promise<TimelineItem[]> {
  const items: TimelineItem[] = [];
  for (;;) {
    const last = items.at(-1);
    const page = await device.api.listTimeline(viewer, {
      limit: 500,
      authors: [author],
      ...(last && { cursor: { ts: last.ts, id: last.id } }),
    });
    items.push(...page);
    if (page.length < 500) return items;
  }
}

/** Undefined when `got` holds each of `want` exactly once and nothing else; else what differs. */
function sameOnce(got: readonly string[], want: readonly string[]): string | undefined {
  const counts = new Map<string, number>();
  for (const b of got) counts.set(b, (counts.get(b) ?? 0) + 1);
  const missing = want.filter((b) => !counts.has(b));
  const doubled = [...counts].filter(([, n]) => n > 1).map(([b]) => b);
  const extra = [...counts.keys()].filter((b) => !want.includes(b));
  if (missing.length + doubled.length + extra.length === 0) return undefined;
  return (
    `${missing.length} missing (${missing.slice(0, 3).join('; ')}), ${doubled.length} doubled, ` +
    `${extra.length} unexpected`
  );
}
