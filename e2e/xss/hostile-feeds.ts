/**
 * Hostile feeds built with the protocol's own builders and pushed to a hub as
 * a client would (objects, commits, head, handle claim): every corpus payload
 * as a post body, the short ones as tags and agent models, hostile display
 * names, bios and links; and, to one person, mentions, replies and DMs whose
 * text is the corpus.
 */
import { type SignedCommit, buildCommit, decodeCommit } from '../../src/protocol/commits.ts';
import { dmPublicKeyOf, sealDm } from '../../src/protocol/dm.ts';
import { buildHead } from '../../src/protocol/heads.ts';
import { type ObjectId, type PseudonymId, hashBytes } from '../../src/protocol/ids.ts';
import { type SecretKey, pseudonymOf, secretKeyFrom } from '../../src/protocol/keys.ts';
import { buildNotice } from '../../src/protocol/notices.ts';
import { buildPost } from '../../src/protocol/objects.ts';
import type { Op } from '../../src/protocol/ops.ts';
import { type Feed, pushFeed } from '../../src/hub/testing/feed-fixture.ts';
import { put, putBlob, signedClaim } from '../../src/hub/testing/hub-fixture.ts';
import { CORPUS, type Payload } from './corpus.ts';
import { packPayloads, shortPayloads } from './pack-payloads.ts';

export interface PostSpec {
  readonly body: string;
  readonly tags?: readonly string[];
  /** The agent model the commit declares (the agent key is fixed). */
  readonly model?: string;
  readonly media?: readonly ObjectId[];
  readonly replyTo?: ObjectId;
  /** Quotes the post of this feed at this index. */
  readonly quoteOf?: number;
  /** Not a new post but a new version of the post of this feed at this index (an edit op). */
  readonly editOf?: number;
}

export interface HostileFeed extends Feed {
  readonly handle: string;
  readonly name: string;
  readonly bio: string;
  /** Post object ids, in order. */
  readonly posts: readonly ObjectId[];
}

const AGENT = pseudonymOf(secretKeyFrom(new Uint8Array(32).fill(200)));

/** The stranger's reaction (sendHostileInbox). */
export const REACTION = '\u202E\u{1F44D}';

export const keyOf = (n: number): SecretKey => secretKeyFrom(new Uint8Array(32).fill(100 + n));

/** A feed of `key`: a profile commit (when given), then one commit per post, a millisecond apart, ending now. */
export function buildFeed(
  key: SecretKey,
  posts: readonly PostSpec[],
  extra: {
    profile?: Omit<Extract<Op, { type: 'profile' }>, 'type'>;
    blobs?: readonly { id: ObjectId; bytes: Uint8Array }[];
    tail?: readonly Op[];
  } = {},
): Feed & { posts: ObjectId[] } {
  const author = pseudonymOf(key);
  const commits: SignedCommit[] = [];
  const objects: { id: ObjectId; bytes: Uint8Array }[] = [...(extra.blobs ?? [])];
  const ids: ObjectId[] = [];
  let ts = Date.now() - posts.length - 10;
  const commit = (ops: Op[], model?: string) => {
    const last = commits.at(-1);
    commits.push(
      buildCommit(key, {
        parents: last ? [last.id] : [],
        seq: commits.length + 1,
        ts: ts++,
        ops,
        ...(model !== undefined && { agent: { id: AGENT, model } }),
      }),
    );
  };
  if (extra.profile) commit([{ type: 'profile', ...extra.profile }]);
  for (const p of posts) {
    const post = buildPost({
      author,
      body: p.body,
      ts,
      ...(p.tags && p.tags.length > 0 && { tags: [...p.tags] }),
      ...(p.media && { media: [...p.media] }),
      ...(p.replyTo && { reply_to: p.replyTo }),
      ...(p.quoteOf !== undefined && { quote_of: ids[p.quoteOf]! }),
    });
    objects.push(post);
    if (p.editOf !== undefined) {
      commit([{ type: 'edit', target: ids[p.editOf]!, object: post.id }], p.model);
      continue;
    }
    ids.push(post.id);
    commit([{ type: 'post', object: post.id }], p.model);
  }
  if (extra.tail) commit([...extra.tail]);
  const tip = commits.at(-1)!;
  return {
    key,
    author,
    commits,
    objects,
    logs: [],
    head: buildHead(key, { heads: [tip.id], seq: tip.commit.seq, ts: Date.now() }),
    posts: ids,
  };
}

/** Hostile names (at most 64 code points), one per feed; the spoofs pretend to be `victim` (name@host). */
export function hostileNames(victim: string): string[] {
  const [name, host] = victim.split('@') as [string, string];
  return [
    `<img src=x onerror="${'__xss'}('name0')">`,
    `"><svg onload=top.__xss(/name1/.source)>`,
    `[x](javascript:__xss('name2'))`,
    `{{constructor.constructor('__xss(3)')()}}`,
    `\u202E${[...victim].reverse().join('')}`,
    `${name}\u200B@${host}`,
    `${victim}`,
    `@${name}\u2066@${host}`,
  ];
}

/** An SVG that runs script if opened as a document, and an HTML page: media bytes that must stay images. */
export function hostileMedia(): { id: ObjectId; bytes: Uint8Array }[] {
  const enc = (s: string) => new TextEncoder().encode(s);
  return [
    enc(
      `<svg xmlns="http://www.w3.org/2000/svg" ` +
        `onload="top.__xss('media-svg')"><script>top.__xss('media-svg-script')</script><rect width="10" ` +
        `height="10"/></svg>`,
    ),
    enc(`<!doctype html><script>top.__xss('media-html')</script><img src=x onerror="top.__xss('media-html-img')">`),
  ].map((bytes) => ({ id: hashBytes(bytes), bytes }));
}

/**
 * `count` feeds sharing the corpus: each post's body is one payload; tags and
 * the agent model cycle through the short payloads; each feed has a hostile
 * name (hostileNames), a bio packed with payloads and hostile-looking links
 * (valid http(s) URLs, the only kind a profile op takes). The first feed also
 * quotes its first post, edits its second and posts the hostile media.
 */
export function buildHostileFeeds(count: number, victim: string): HostileFeed[] {
  const tags = shortPayloads(64);
  const models = shortPayloads(128);
  const names = hostileNames(victim);
  const bios = packPayloads(
    CORPUS.filter((p) => p.family !== 'long'),
    1024,
  );
  const media = hostileMedia();
  return Array.from({ length: count }, (_, f) => {
    const mine = CORPUS.filter((_, i) => i % count === f);
    const posts: PostSpec[] = mine.map((p, i) => ({
      body: p.text,
      tags: [0, 1, 2]
        .map((k) => tags[(f * 97 + i * 3 + k) % tags.length]!.text)
        .filter((t, k, all) => all.indexOf(t) === k),
      model: models[(f * 89 + i) % models.length]!.text,
    }));
    if (f === 0) {
      // A quote of this feed's first post, a new version of its second (both bodies payloads), and the hostile media.
      posts.push({ body: `quoting ${mine[0]!.text}`, quoteOf: 0 }, { body: mine[2]!.text, editOf: 1 });
      posts.push({ body: 'hostile media attached', media: media.map((m) => m.id) });
    }
    const name = names[f % names.length]!;
    const bio = bios[f % bios.length]!;
    const feed = buildFeed(keyOf(f), posts, {
      profile: {
        name,
        bio,
        links: [
          `https://a.example/"><script>__xss('link${f}')</script>`,
          `https://a.example/?javascript:__xss('link${f}')`,
          `http://\u202Eelpmaxe.a/`,
        ],
        dm_key: dmPublicKeyOf(keyOf(f)),
      },
      ...(f === 0 && { blobs: media }),
    });
    return { ...feed, handle: `hostile${f}`, name, bio };
  });
}

/** Pushes `feed` to the hub and claims its handle there. @throws when the hub refuses. */
export async function publishFeed(hub: { url: string; host: string }, feed: Feed, handle: string): Promise<void> {
  await pushFeed(hub.url, feed);
  const res = await put(`${hub.url}/v1/handles/${handle}`, signedClaim(feed.key, handle, hub.host).bytes);
  if (res.status !== 201) throw new Error(`claim ${handle}: ${res.status} ${await res.text()}`);
}

/** The DM key `person` published (their profile op), read from their feed on `hubUrl`. */
export async function dmKeyOf(hubUrl: string, person: PseudonymId): Promise<string> {
  const heads = (await (await fetch(`${hubUrl}/v1/heads?authors=${person}`)).json()) as {
    heads: Record<string, { heads: string[] }>;
  };
  const todo = [...(heads.heads[person]?.heads ?? [])];
  while (todo.length > 0) {
    const id = todo.shift()!;
    const res = await fetch(`${hubUrl}/v1/blobs/${id}`);
    const { commit } = decodeCommit(new Uint8Array(await res.arrayBuffer()), id as ObjectId);
    for (const op of commit.ops) if (op.type === 'profile' && op.dm_key) return op.dm_key;
    todo.push(...commit.parents);
  }
  throw new Error(`no dm_key published by ${person}`);
}

/**
 * From the feed of `key` (home hub `home`) to `victim` on `theirHub`: posts
 * mentioning them and replies to `theirPost`, their text the whole corpus
 * packed, and a reaction whose emoji is a bidi override; the public blobs
 * put on their hub and a notice for each; and DMs
 * sealed to their DM key with the corpus packed as text.
 * @returns how many notifications and messages should arrive.
 */
export async function sendHostileInbox(
  key: SecretKey,
  home: { url: string; host: string },
  theirHub: string,
  victim: { id: PseudonymId; handle: string; post: ObjectId },
  name: string,
  payloads: readonly Payload[] = CORPUS,
): Promise<{ mentions: string[]; replies: string[]; dms: string[]; feed: Feed }> {
  const mention = ` @${victim.handle}`;
  const mentionBodies = packPayloads(payloads, 4096 - mention.length - 1).map((b) => `${mention}\n${b}`);
  const replyBodies = packPayloads(payloads, 4096).slice(0, 4);
  const bio = packPayloads(
    payloads.filter((p) => p.family === 'markdown'),
    1024,
  )[0]!;
  const feed = buildFeed(
    key,
    [...mentionBodies.map((body) => ({ body })), ...replyBodies.map((body) => ({ body, replyTo: victim.post }))],
    {
      profile: { name, bio, dm_key: dmPublicKeyOf(key) },
      // A reaction whose emoji is a right-to-left override and a symbol
      // (an emoji may hold no letters, digits or spaces; this holds none).
      tail: [{ type: 'react', target: victim.post, emoji: REACTION }],
    },
  );
  await publishFeed(home, feed, 'hostileinbox');
  for (const blob of [...feed.objects, ...feed.commits]) {
    const res = await putBlob(theirHub, blob.id, blob.bytes, key);
    if (res.status !== 201 && res.status !== 200) throw new Error(`blob: ${res.status}`);
  }
  const notify = async (kind: 'mention' | 'reply' | 'react' | 'dm', ids: ObjectId[]) => {
    const notice = buildNotice(key, { to: victim.id, kind, ids, ts: Date.now() });
    const res = await fetch(`${theirHub}/v1/inbox/${victim.id}`, { method: 'POST', body: notice.bytes as BodyInit });
    if (res.status !== 201 && res.status !== 200) throw new Error(`notice: ${res.status} ${await res.text()}`);
  };
  for (const [i, id] of feed.posts.entries())
    await notify(i < mentionBodies.length ? 'mention' : 'reply', [feed.commits[i + 1]!.id, id]);
  await notify('react', [feed.commits.at(-1)!.id]);

  const toKey = await dmKeyOf(theirHub, victim.id);
  // The corpus packed, then each spoof alone (one ending in an override
  // leaks into what follows unless isolated), then plain words last.
  const dms = [
    ...packPayloads(payloads, 4000),
    ...payloads.filter((p) => p.family === 'spoof').map((p) => p.text),
    'plain words after a spoofing name',
  ];
  for (const [i, body] of dms.entries()) {
    const seed = (b: number, len: number) => new Uint8Array(len).fill((i * 7 + b) % 256);
    const sealed = sealDm(
      key,
      { to: victim.id, toKey, body, ts: Date.now() - dms.length + i, hubs: [home.url] },
      { ephemeral: seed(1, 32), nonce: seed(2, 24) },
    );
    const res = await putBlob(theirHub, sealed.id, sealed.bytes, key);
    if (res.status !== 201 && res.status !== 200) throw new Error(`dm blob: ${res.status}`);
    await notify('dm', [sealed.id]);
  }
  return { mentions: mentionBodies, replies: replyBodies, dms, feed };
}
