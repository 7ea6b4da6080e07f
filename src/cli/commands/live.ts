/**
 * `timeline --follow`: the timeline, then each new post as it arrives, like
 * `tail -f`, until SIGINT or SIGTERM. It listens to the same live streams the
 * app's tabs open (one event stream per hub, naming one's own feed on the
 * home hub and each follow on its hub: catch-up-plan.ts streamsByHub, read
 * with workers/net/event-stream.ts), and catches a feed up with the core's
 * Feeds.update when a head event names commits not held.
 *
 * The home stays usable meanwhile. Its lock (home-lock.ts) guards a store
 * whose memory is the journal replayed at open, so holding it for the stream's
 * whole life would make every other command of this home wait, then fail
 * HomeBusy. Instead each catch-up opens the home (lock, replay, so it sees
 * what other commands wrote since), ingests and reads, prints what is new,
 * and closes it; between events nothing is held. Events arriving during a
 * catch-up are gathered and handled by the next one (one at a time).
 */
import type { HeadJson } from '../../protocol/heads.ts';
import { type PseudonymId, isPseudonymId } from '../../protocol/ids.ts';
import { MAX_IDS_PER_REQUEST } from '../../protocol/routes.ts';
import { streamsByHub } from '../../../workers/feed/catch-up-plan.ts';
import { withProfileHubs } from '../../../workers/feed/feeds.ts';
import { runEventStream } from '../../../workers/net/event-stream.ts';
import { createHubClient } from '../../../workers/net/hub-client.ts';
import type { Streams } from '../answer.ts';
import { type Device, openDevice } from '../device.ts';
import { exitCodeOf } from '../errors.ts';
import type { PassphraseSource } from '../home/passphrase-prompt.ts';
import { PrivateState } from '../home/private-state.ts';
import { type TimelinePost, type TimelineQuery, readTimeline } from '../read/timeline.ts';
import { postWords, stylesFor } from '../words/post-words.ts';

export type LiveIo = PassphraseSource & Streams;

/** A post once printed is not printed again (a repost of it is another line). */
function keyOf(post: TimelinePost): string {
  return `${post.repost?.by ?? ''}:${post.id}`;
}

/** Read again at each look: a mute made while the stream runs applies from the next post. */
function hiddenFor(device: Device, name: string) {
  return PrivateState.open(device.home, name).hidden();
}

async function withDevice<T>(io: LiveIo, use: (device: Device) => Promise<T>): Promise<T> {
  const device = await openDevice(io);
  try {
    return await use(device);
  } finally {
    await device.close();
  }
}

/**
 * Prints the newest `query.limit` posts (oldest first), then each new one until `stop` aborts; returns the exit
 * code. A post is one line of JSON with `json` (NDJSON), else words.
 * @throws as openDevice and the first read (before anything streams)
 */
export async function followTimeline(
  io: LiveIo,
  as: string | undefined,
  query: TimelineQuery,
  json: boolean,
  stop: AbortSignal,
): Promise<number> {
  const styles = stylesFor(io.stdout);
  const printed = new Set<string>();
  const print = (posts: readonly TimelinePost[]) => {
    const now = Date.now();
    for (const post of posts) {
      if (printed.has(keyOf(post))) continue;
      printed.add(keyOf(post));
      io.stdout.write(json ? `${JSON.stringify(post)}\n` : `${postWords(post, now, styles)}\n\n`);
    }
  };
  const everything = { ...query, limit: Number.POSITIVE_INFINITY, reverse: true };

  const first = await withDevice(io, async (device) => {
    const me = device.pseudonyms.pick(as);
    await device.feeds.refresh(me.id); // never throws: an unreachable hub leaves what is held
    const posts = await readTimeline(device.store, me, { ...everything, hidden: hiddenFor(device, me.name) });
    const follows = await withProfileHubs(device.store, await device.store.listFollows(me.id));
    const byHub = streamsByHub(me.id, me.hubs[0] ?? '', follows, new Set());
    return { me, posts, streams: [...byHub].filter(([hub]) => hub !== '') };
  });
  const { me } = first;
  for (const post of first.posts.slice(0, -query.limit)) printed.add(keyOf(post));
  print(first.posts);

  const pending = new Map<PseudonymId, { hub: string; head: HeadJson }>();
  /** One catch-up: the feeds whose heads arrived, then what is new in the timeline. False when it failed. */
  const catchUp = async (): Promise<boolean> => {
    const batch = new Map(pending);
    pending.clear();
    try {
      print(
        await withDevice(io, async (device) => {
          // One's own feed too: its head moves when another device (the app, another home) publishes. Its commits
          // are ingested as `sync` pulls them (nothing signed; a merge with what this home queued waits for `sync`);
          // an echo of this home's own push is already held and costs nothing.
          for (const [author, { hub, head }] of batch) {
            await device.feeds.update(author, [hub], { head, forPseudonym: me.id });
          }
          return readTimeline(device.store, me, { ...everything, hidden: hiddenFor(device, me.name) });
        }),
      );
      return true;
    } catch (error) {
      // HomeBusy (another command held the home for its whole wait) or a store failure: said, and tried again
      // with the next event (not at once: a damaged store would fail again at once); the stream goes on.
      for (const [author, event] of batch) if (!pending.has(author)) pending.set(author, event);
      io.stderr.write(`murmur: ${error instanceof Error ? error.message : String(error)}\n`);
      return false;
    }
  };
  // One catch-up at a time; the loop's last look at `pending` and `busy = false` happen in one step, so an event
  // arriving meanwhile is either taken by the loop or starts the next one.
  let busy = false;
  let running: Promise<void> = Promise.resolve();
  const kick = () => {
    if (busy) return;
    busy = true;
    running = (async () => {
      try {
        while (pending.size > 0 && !stop.aborted) if (!(await catchUp())) break;
      } finally {
        busy = false;
      }
    })();
  };

  const connections = first.streams.flatMap(([hub, authors]) =>
    Array.from({ length: Math.ceil(authors.length / MAX_IDS_PER_REQUEST) }, (_, i) => ({
      hub,
      authors: authors.slice(i * MAX_IDS_PER_REQUEST, (i + 1) * MAX_IDS_PER_REQUEST),
    })),
  );
  let opened = 0;
  let refusal: string | undefined;
  const runs = connections.map((c) => {
    let fresh = true;
    return runEventStream({
      fetch,
      url: createHubClient(c.hub, fetch).streamUrl(c.authors),
      signal: stop,
      onOpen: () => {
        if (!fresh) return;
        fresh = false;
        if (++opened === connections.length) {
          const feeds = connections.reduce((n, x) => n + x.authors.length, 0);
          io.stderr.write(`Live: streaming ${feeds} feeds. Ctrl-C stops.\n`);
        }
      },
      onEvent: (event) => {
        if (event.type !== 'head') return;
        let head: HeadJson;
        try {
          head = JSON.parse(event.data) as HeadJson;
        } catch {
          return; // not JSON: nothing to verify; ingest verifies what is
        }
        if (!isPseudonymId(head?.author) || !c.authors.includes(head.author)) return;
        pending.set(head.author, { hub: c.hub, head });
        kick();
      },
      onError: (error) => {
        refusal = error.name;
        io.stderr.write(`murmur: ${c.hub}: ${error.message}\n`);
      },
    });
  });
  await Promise.all(runs);
  await running;
  // Every stream ended before a signal: the hubs refused them (a retried failure never ends a stream).
  return stop.aborted ? 0 : exitCodeOf(refusal ?? 'Offline');
}
