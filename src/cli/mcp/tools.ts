/**
 * The tools `murmur mcp` serves (docs/cli.md, "murmur mcp"): one row per
 * tool, each its input schema (zod, the schema library the MCP SDK takes;
 * the SDK turns it into the JSON Schema clients list) and a call of the very
 * command function the verb of the same name runs (commands/*.ts), so a tool
 * answers exactly what `murmur --json VERB` prints. A new surface is one row.
 */
import { z } from 'zod';
import { react } from '../commands/actions.ts';
import { discover } from '../commands/directory.ts';
import { AUDIENCES } from '../commands/audience.ts';
import { lens } from '../commands/lens.ts';
import { LENS_NAMES, LENS_SHARES, LENS_WORDS, type LensName } from '../../protocol/lens-settings.ts';
import { dm, dms, notifications } from '../commands/messages.ts';
import { showProfile } from '../commands/profile.ts';
import { exportFeed, importFeed } from '../commands/feed-file.ts';
import { moveHub } from '../commands/move-hub.ts';
import { search, thread, timeline } from '../commands/reading.ts';
import { follow, post } from '../commands/social.ts';
import { parseCursor } from '../read/search.ts';
import { SPAN, findSpanMs } from '../read/span.ts';
import { type McpTool, SENT, tool } from './tool.ts';
import { MIST_TOOLS } from './mist-tools.ts';

export type { McpTool };

/** Not checked here: the command's own check names a malformed one (MalformedId), as the verb does. */
const postId = (what: string) => z.string().describe(`${what} (64 hex digits, as timeline and thread give)`);

const DEFAULT_LIMIT = 50;

export const MCP_TOOLS: Readonly<Record<string, McpTool>> = {
  post: tool({
    description:
      'Publish a post, public or sealed on this device for named readers or for whoever has its link. Answers ' +
      `{ id, commit, audience?, linkKey?, sent, queued, reason?, error? }: id is the new post's. ${SENT}`,
    input: {
      text: z.string().describe('the post'),
      tags: z.array(z.string()).optional().describe('tags, without #'),
      quote: postId('a post to quote').optional(),
      audience: z
        .enum(AUDIENCES)
        .optional()
        .describe('public (default); allowlist: only `readers`; link: whoever has its link (`linkKey`, no media)'),
      readers: z.array(z.string()).optional().describe('who may read an allowlist post: handles (name@host)'),
    },
    run: (context, args) =>
      post(context, args.text, {
        tag: args.tags ?? [],
        quote: args.quote,
        audience: args.audience,
        reader: args.readers ?? [],
      }),
  }),
  reply: tool({
    description: `Reply to a post. Answers { id, commit, sent, queued, reason?, error? }. ${SENT}`,
    input: { id: postId('the post to answer'), text: z.string().describe('the reply') },
    run: (context, args) => post(context, args.text, { reply: args.id }),
  }),
  react: tool({
    description: `React to a post with an emoji. Answers { id, emoji, on: true, commit, sent, queued, ... }. ${SENT}`,
    input: { id: postId('the post'), emoji: z.string().describe('one emoji, e.g. 👍') },
    run: (context, args) => react(context, args.id, args.emoji, true),
  }),
  unreact: tool({
    description: `Take back a reaction. Answers { id, emoji, on: false, commit, sent, queued, ... }. ${SENT}`,
    input: { id: postId('the post'), emoji: z.string().describe('the emoji reacted with') },
    run: (context, args) => react(context, args.id, args.emoji, false),
  }),
  follow: tool({
    description: `Follow a handle and fetch its feed. Answers { target, handle, hub, fetched, sent, ... }. ${SENT}`,
    input: { handle: z.string().describe('name@host') },
    run: (context, args) => follow(context, args.handle),
  }),
  timeline: tool({
    description:
      'Own posts, those of the feeds followed and what they reposted, newest first (the follows fetched first). ' +
      'Answers { posts: Post[] }, Post = { id, author, handle, body, ts (ms since the epoch), replyTo, quoteOf, ' +
      'tags, media, edited, repost: null | { by, handle, ts } }.',
    reads: true,
    input: {
      limit: z.number().int().min(1).optional().describe(`at most this many, the newest (default ${DEFAULT_LIMIT})`),
      since: z.string().regex(SPAN).optional().describe('only the last span: 45s, 30m, 2h, 1d'),
      handle: z.string().optional().describe('only posts by this handle (name@host, or name on any host)'),
      hasMedia: z.boolean().optional().describe('only posts with media'),
      reverse: z.boolean().optional().describe('oldest first (still the newest `limit`)'),
    },
    run: (context, args) =>
      timeline(context, {
        limit: args.limit ?? DEFAULT_LIMIT,
        ...(args.since !== undefined && { since: Date.now() - findSpanMs(args.since)! }),
        ...(args.handle !== undefined && { handle: args.handle }),
        ...(args.hasMedia && { hasMedia: true }),
        ...(args.reverse && { reverse: true }),
      }),
  }),
  lens: tool({
    description:
      'How the home feed is made: the people followed, and the share of each page (percent) each lens may take: ' +
      `topics (${LENS_WORDS.topics}), adjacent (${LENS_WORDS.adjacent}), fresh (${LENS_WORDS.fresh}). Answers ` +
      '{ following, topics, adjacent, fresh } in percent; each argument sets that lens’s share (0 is off).',
    input: { topics: lensShareArg('topics'), adjacent: lensShareArg('adjacent'), fresh: lensShareArg('fresh') },
    run: (context, args) =>
      lens(
        context,
        Object.fromEntries(LENS_NAMES.filter((n) => args[n] !== undefined).map((n) => [n, String(args[n])])),
      ),
  }),
  discover: tool({
    description:
      "People listed in the home hub's directory (those who chose to be), by topic and words in their handle, " +
      'name or bio, by id (never ranked); each listing verified. Answers { people: { id, handle, name?, bio?, ' +
      'topics, listedAt, followed }[], next? }: pass next as `cursor` for the next page; follow one by its handle.',
    reads: true,
    input: {
      topic: z.string().optional().describe('a topic, with or without #'),
      q: z.string().optional().describe('words found in the handle, name or bio'),
      cursor: z.string().optional().describe("the previous answer's `next`"),
    },
    run: (context, args) =>
      discover(context, {
        ...(args.topic !== undefined && { topic: args.topic }),
        ...(args.q !== undefined && { q: args.q }),
        ...(args.cursor !== undefined && { cursor: args.cursor }),
      }),
  }),
  search: tool({
    description:
      'The posts this home holds (own, followed, reposted by follows) that match a query, newest first, no ' +
      'ranking; no network (timeline or a sync fetches first). Query: words (all must occur; the last, or one ' +
      'ending in *, also as a prefix), #tag, from:NAME (a followed handle, name@host or name), has:media, ' +
      'since:/until: a UTC day (2026-12-01) or a span back (3h, 7d, 2w). Answers { posts: Post[] (as timeline), ' +
      'cursor: string | null }: pass cursor as `before` for the next page.',
    reads: true,
    input: {
      query: z.string().describe('e.g. "rain from:bob #weather since:7d"'),
      limit: z.number().int().min(1).optional().describe(`at most this many, the newest (default ${DEFAULT_LIMIT})`),
      before: z
        .string()
        .refine((text) => parseCursor(text) !== undefined, 'a cursor as search gives it')
        .optional()
        .describe("only posts older than this cursor (the previous answer's `cursor`)"),
    },
    run: (context, args) =>
      search(context, args.query, {
        limit: args.limit ?? DEFAULT_LIMIT,
        ...(args.before !== undefined && { before: parseCursor(args.before)! }),
      }),
  }),
  'export-feed': tool({
    description:
      'Write the whole feed (commits, posts, media, the sealed private state; with withKey also the key, locked ' +
      "by this home's passphrase) to a file on this machine. Answers { file, id, commits, objects, bytes, key }.",
    input: {
      file: z.string().describe("the file to write (a relative path is the server's working directory's)"),
      withKey: z.boolean().optional().describe("also the key, locked by this home's passphrase"),
    },
    run: (context, args) => exportFeed(context, args.file, { withKey: args.withKey === true }),
  }),
  'import-feed': tool({
    description:
      "Verify all of a feed file, then take it in as this home's own (nothing changes unless every byte is " +
      'good); a later sync sends it to the hub. Answers { name, id, handle, commits, added, queued, key, private }.',
    input: { file: z.string().describe('a file export-feed wrote') },
    run: (context, args) => importFeed(context, args.file, {}),
  }),
  'move-hub': tool({
    description:
      'Move the whole feed to the hub at `hub` and make it home: copied whole, the handle claimed there, and the ' +
      'old home left a signed pointer, so followers keep receiving posts by themselves. Answers { from, hubs, ' +
      'handle, pointerLeft }; HubUnreachable or HandleTaken mean nothing moved.',
    input: { hub: z.string().describe('the new home hub, e.g. https://hub.example') },
    run: (context, args) => moveHub(context, args.hub, {}),
  }),
  thread: tool({
    description:
      'A post with what it answers and every reply held, depth first. Answers { posts: (Post & { depth, ' +
      'reactions: { [emoji]: pseudonym ids } })[] }, depth 0 for the first post.',
    reads: true,
    input: { id: postId('a post of the thread') },
    run: (context, args) => thread(context, args.id),
  }),
  profile: tool({
    description:
      "A profile: one's own, or a handle's (its feed fetched first). Answers { id, handle, name, bio, links, " +
      'topics, avatar, posts, following }; unset fields are null.',
    reads: true,
    input: { handle: z.string().optional().describe('name@host; none for your own') },
    run: (context, args) => showProfile(context, args.handle),
  }),
  dm: tool({
    description: `Send an end-to-end encrypted direct message. Answers { id, to, handle, sent, queued, ... }. ${SENT}`,
    input: { handle: z.string().describe('name@host'), text: z.string().describe('the message') },
    run: (context, args) => dm(context, args.handle, args.text),
  }),
  dms: tool({
    description:
      'Direct messages: without a handle, the conversations, latest first ({ conversations }); with one, the ' +
      'messages with that person, oldest first ({ peer, handle, name, messages }), which are then read.',
    input: { handle: z.string().optional().describe('name@host; none for the list of conversations') },
    run: (context, args) => dms(context, args.handle),
  }),
  notifications: tool({
    description:
      'Replies, quotes, mentions, reactions, reposts and messages, newest first ({ notifications }); those ' +
      'listed are read after.',
    input: {
      limit: z.number().int().min(1).optional().describe(`at most this many, the newest (default ${DEFAULT_LIMIT})`),
    },
    run: (context, args) => notifications(context, args.limit ?? DEFAULT_LIMIT),
  }),
  ...MIST_TOOLS,
};

/** The `lens` tool's argument setting one lens's share. */
function lensShareArg(name: LensName) {
  return z
    .literal([...LENS_SHARES])
    .optional()
    .describe(`the ${name} lens's share: ${LENS_SHARES.join(', ')} (0: off)`);
}
