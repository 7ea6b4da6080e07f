/**
 * The `murmur` command line: its commands and options, parsed by commander
 * (help, usage errors and option parsing are its job), each command run on
 * the home opened as a device (device.ts) and answered in words or JSON
 * (answer.ts). docs/cli.md is the reference.
 */
import { Command, CommanderError } from 'commander';
import { type Answer, type Streams, printAnswer, printFailure } from './answer.ts';
import { exportBackup, importBackup, init, whoami } from './commands/identity.ts';
import { moveHub } from './commands/move-hub.ts';
import { exportFeed, importFeed } from './commands/feed-file.ts';
import { edit, react, remove, repost, unfollow } from './commands/actions.ts';
import { hubs, search, status, sync, thread, timeline } from './commands/reading.ts';
import { follow, post } from './commands/social.ts';
import { agentCommands } from './commands/agents.ts';
import { mistCommands } from './commands/mist-commands.ts';
import { hiveCommands } from './commands/hive-commands.ts';
import { collect, duration, positiveInt, searchCursor, utcDay } from './commands/arg-parsers.ts';
import type { CommandContext } from './commands/context.ts';
import { followTimeline } from './commands/live.ts';
import { block, draft, drafts, mute, mutes, publish } from './commands/private.ts';
import { type SettingsOptions, settings } from './commands/settings.ts';
import { discover } from './commands/directory.ts';
import { type LensOptions, lens } from './commands/lens.ts';
import { dm, dms, notifications } from './commands/messages.ts';
import { setProfile, showProfile } from './commands/profile.ts';
import { agentCommand } from './agents/agent-command.ts';
import { type DevlogOptions, devlog } from './agents/devlog.ts';
import type { SearchCursor } from './read/search.ts';
import { openDevice } from './device.ts';
import { CliError, EXIT } from './errors.ts';
import type { PassphraseSource } from './home/passphrase-prompt.ts';

export type Io = PassphraseSource & Streams;

interface PostOptions {
  readonly reply?: string;
  readonly quote?: string;
  readonly tag: string[];
  readonly media: string[];
  readonly audience?: string;
  readonly reader: string[];
}

interface TimelineOptions {
  readonly limit: number;
  /** A span in milliseconds. */
  readonly since?: number;
  readonly handle?: string;
  readonly hasMedia?: boolean;
  readonly reverse?: boolean;
  readonly follow?: boolean;
}

interface GlobalOptions {
  readonly json?: boolean;
  readonly as?: string;
}

/**
 * Runs the command line on `args` (without `node` and the script) and returns the exit code. Never throws.
 */
export async function runMurmur(args: readonly string[], io: Io): Promise<number> {
  let exitCode: number = EXIT.ok;
  const program = new Command('murmur');
  const json = () => Boolean(program.opts<GlobalOptions>().json) || args.includes('--json');
  /** Runs `handler` on the opened home, prints its answer, and records the exit code. */
  const run = (handler: (context: CommandContext) => Promise<Answer>) => async () => {
    const device = await openDevice(io);
    try {
      const answer = await handler({ io, as: program.opts<GlobalOptions>().as, device });
      exitCode = printAnswer(io, answer, json());
    } finally {
      await device.close();
    }
  };

  program
    .description('Murmur on the command line: a device of the network, like the app. Data in MURMUR_HOME.')
    .option('--json', 'answer in JSON (docs/cli.md has each shape)')
    .option('--as <name>', 'act as this pseudonym of the home (default: the first one)')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      outputError: () => {}, // printFailure says it, once, in our shape
    });

  program
    .command('init')
    .description('make a new pseudonym and claim its handle on a hub')
    .requiredOption('--hub <url>', 'its home hub, e.g. https://hub.example')
    .requiredOption('--handle <name>', 'the handle to claim there')
    .option('--name <display>', 'the name people see (default: the handle)')
    .action((options: { hub: string; handle: string; name?: string }) => run((c) => init(c, options))());
  program
    .command('whoami')
    .description('the pseudonym this command acts as')
    .action(run((c) => whoami(c)));
  program
    .command('export')
    .description("write the pseudonym to FILE in the app's backup format")
    .argument('<file>')
    .action((file: string) => run((c) => exportBackup(c, file))());
  program
    .command('import')
    .description("add a pseudonym from the app's backup FILE")
    .argument('<file>')
    .action((file: string) => run((c) => importBackup(c, file))());
  program
    .command('export-feed')
    .description('write the whole feed (commits, posts, media, the sealed private state) to FILE')
    .argument('<file>')
    .option('--with-key', "also the key, locked by this home's passphrase (the app's backup format)")
    .option('--progress', 'say on stderr how far it is (always at a terminal)')
    .action((file: string, options: { withKey?: boolean; progress?: boolean }) =>
      run((c) => exportFeed(c, file, options))(),
    );
  program
    .command('import-feed')
    .description('verify all of a feed FILE, then take it in as your own (sync sends it to your hub)')
    .argument('<file>')
    .option('--progress', 'say on stderr how far it is (always at a terminal)')
    .action((file: string, options: { progress?: boolean }) => run((c) => importFeed(c, file, options))());
  program
    .command('post')
    .description('post TEXT (sent at once, or queued when no hub answers)')
    .argument('<text>')
    .option('--reply <id>', 'in reply to this post')
    .option('--quote <id>', 'quoting this post')
    .option('--tag <tag>', 'a tag (repeat for more)', collect, [])
    .option('--media <file>', 'an image or video to attach (repeat for more)', collect, [])
    .option(
      '--audience <who>',
      'public (default), followers (those approved), allowlist (the --reader people) or link (its holders)',
    )
    .option('--reader <handle>', 'one who may read an allowlist post (repeat for more)', collect, [])
    .action((text: string, options: PostOptions) => run((c) => post(c, text, options))());
  program
    .command('follow')
    .description('follow HANDLE (name@host) and fetch its feed')
    .argument('<handle>')
    .action((handle: string) => run((c) => follow(c, handle))());
  program
    .command('repost')
    .description('share a post with those who follow you')
    .argument('<id>')
    .action((id: string) => run((c) => repost(c, id))());
  program
    .command('react')
    .description('react to a post with an emoji')
    .argument('<id>')
    .argument('<emoji>')
    .action((id: string, emoji: string) => run((c) => react(c, id, emoji, true))());
  program
    .command('unreact')
    .description('take back a reaction')
    .argument('<id>')
    .argument('<emoji>')
    .action((id: string, emoji: string) => run((c) => react(c, id, emoji, false))());
  program
    .command('edit')
    .description('give one of your posts new text (its reply, tags and media stay)')
    .argument('<id>')
    .argument('<text>')
    .action((id: string, text: string) => run((c) => edit(c, id, text))());
  program
    .command('delete')
    .description('delete one of your posts, or withdraw your repost')
    .argument('<id>')
    .action((id: string) => run((c) => remove(c, id))());
  program
    .command('unfollow')
    .description('stop following HANDLE (name@host, as followed)')
    .argument('<handle>')
    .action((handle: string) => run((c) => unfollow(c, handle))());
  const profile = program
    .command('profile')
    .description('a profile: yours, or HANDLE (name@host)')
    .argument('[handle]')
    .action((handle: string | undefined) => run((c) => showProfile(c, handle))());
  profile
    .command('set')
    .description('change your profile (the fields given; the others stay)')
    .option('--name <name>', 'the name people see')
    .option('--bio <text>', 'a few words about you')
    .option('--topics <words>', 'public topics you post about, comma separated ("" clears them)')
    .option('--avatar <file>', 'an image')
    .action((options: { name?: string; bio?: string; topics?: string; avatar?: string }) =>
      run((c) => setProfile(c, options))(),
    );
  for (const [name, on] of [
    ['mute', true],
    ['unmute', false],
  ] as const) {
    program
      .command(name)
      .description(on ? 'hide a user (handle or id), a word or a #tag from your timeline' : 'take back a mute')
      .argument('<kind>', 'user, word or tag')
      .argument('<value>')
      .action((kind: string, value: string) => run((c) => mute(c, kind, value, on))());
  }
  for (const [name, on] of [
    ['block', true],
    ['unblock', false],
  ] as const) {
    program
      .command(name)
      .description(on ? 'hide HANDLE (or id) everywhere and never fetch their feed' : 'take back a block')
      .argument('<handle>')
      .action((who: string) => run((c) => block(c, who, on))());
  }
  program
    .command('settings')
    .description('your settings: whose notices your inbox takes, whether the directory lists you (your hubs hold them)')
    .option('--inbox <mode>', 'closed (people you follow), allowlist, open or public')
    .option('--allow <handle>', 'let HANDLE reach an allowlist inbox')
    .option('--disallow <handle>', 'take HANDLE off the allowlist')
    .option('--discoverable', "list your handle, name, topics and bio in your hubs' directory")
    .option('--no-discoverable', 'take them out of it')
    .option('--searchable', 'let the directory find you by words in your handle, name and bio too')
    .option('--no-searchable', 'by your topics only')
    .option('--approve <handle>', 'let a follower read your followers posts from now on')
    .option('--unapprove <handle>', 'seal later followers posts without them')
    .action((options: SettingsOptions) => run((c) => settings(c, options))());
  program
    .command('discover')
    .description("people listed in your home hub's directory, verified, by topic or words")
    .option('--topic <topic>', 'only those listing this topic (with or without #)')
    .option('--q <words>', 'only those whose handle, name or bio has these words')
    .option('--limit <n>', 'ask the hub for at most this many (it pages by 50 at most)', positiveInt)
    .option('--cursor <next>', 'the page after the one that gave this `next`')
    .action((options: { topic?: string; q?: string; limit?: number; cursor?: string }) =>
      run((c) => discover(c, options))(),
    );
  program
    .command('lens')
    .description('how your home feed is made: those you follow, and the share each lens may take')
    .option('--topics <percent>', '0 (off), 10, 20 or 30: public posts on your topics from listed people')
    .option('--adjacent <percent>', '0 (off), 10, 20 or 30: posts on topics seen alongside yours')
    .option('--fresh <percent>', '0 (off), 10, 20 or 30: first posts of newly listed people')
    .action((options: LensOptions) => run((c) => lens(c, options))());
  program
    .command('mutes')
    .description('what you mute and block')
    .action(run((c) => mutes(c)));
  program
    .command('draft')
    .description('save TEXT as a draft (kept on this device for now)')
    .argument('<text>')
    .option('--id <id>', 'replace the draft with this id')
    .option('--reply <id>', 'in reply to this post')
    .option('--quote <id>', 'quoting this post')
    .action((text: string, options: { id?: string; reply?: string; quote?: string }) =>
      run((c) => draft(c, text, options))(),
    );
  program
    .command('drafts')
    .description('your drafts, newest first')
    .action(run((c) => drafts(c)));
  program
    .command('publish')
    .description('post draft ID and remove it')
    .argument('<id>')
    .action((id: string) => run((c) => publish(c, id))());
  program
    .command('thread')
    .description('a post with what it answers and every reply held, with reactions')
    .argument('<id>')
    .action((id: string) => run((c) => thread(c, id))());
  program
    .command('timeline')
    .description('your posts, those you follow and what they reposted, newest first')
    .option('--limit <n>', 'at most this many posts (the newest)', positiveInt, 50)
    .option('--since <span>', 'only posts of the last span: 30m, 2h, 1d', duration)
    .option('--handle <handle>', 'only posts by this handle (name@host, or name)')
    .option('--has-media', 'only posts with media')
    .option('--reverse', 'oldest first')
    .option('--follow', 'then print each new post as it arrives, until Ctrl-C (NDJSON with --json)')
    .action(async (options: TimelineOptions) => {
      const query = {
        limit: options.limit,
        ...(options.since !== undefined && { since: Date.now() - options.since }),
        ...(options.handle !== undefined && { handle: options.handle }),
        ...(options.hasMedia && { hasMedia: true }),
        ...(options.reverse && { reverse: true }),
      };
      if (!options.follow) return run((c) => timeline(c, query))();
      const stop = new AbortController();
      const onSignal = () => stop.abort();
      process.once('SIGINT', onSignal).once('SIGTERM', onSignal);
      try {
        exitCode = await followTimeline(io, program.opts<GlobalOptions>().as, query, json(), stop.signal);
      } finally {
        process.off('SIGINT', onSignal).off('SIGTERM', onSignal);
      }
    });
  program
    .command('search')
    .description('the posts held here that match QUERY: words, word*, #tag, from:NAME, has:media, since:, until:')
    .argument('<query...>', "the app's search syntax (docs/cli.md); the last word also matches as a prefix")
    .option('--limit <n>', 'at most this many posts (the newest)', positiveInt, 50)
    .option('--before <cursor>', 'only posts older than this cursor (the one a full page gives)', searchCursor)
    .action((words: string[], options: { limit: number; before?: SearchCursor }) =>
      run((c) => search(c, words.join(' '), options))(),
    );
  agentCommands(program, run);
  mistCommands(program, run);
  hiveCommands(program, run);
  agentCommand(program)
    .command('devlog')
    .description("post a summary of the repository's new commits, at most once a day (UTC)")
    .requiredOption('--repo <path>', 'the git repository')
    .option('--date <day>', 'the UTC day this run counts as, YYYY-MM-DD (default: today)', utcDay)
    .action((options: DevlogOptions) => run((c) => devlog(c, options))());
  program
    .command('dm')
    .description('send HANDLE an end-to-end encrypted message')
    .argument('<handle>')
    .argument('<text>')
    .action((handle: string, text: string) => run((c) => dm(c, handle, text))());
  program
    .command('dms')
    .description('your conversations, or the messages with HANDLE')
    .argument('[handle]')
    .action((handle: string | undefined) => run((c) => dms(c, handle))());
  program
    .command('notifications')
    .description('replies, mentions, quotes, reactions and reposts of your posts, newest first')
    .option('--limit <n>', 'at most this many', positiveInt, 50)
    .action((options: { limit: number }) => run((c) => notifications(c, options.limit))());
  program
    .command('sync')
    .description('send what is queued, merge what your other devices sent, fetch the feeds you follow')
    .action(run((c) => sync(c)));
  program
    .command('hubs')
    .description("your hubs, home first, and whether each holds your feed's latest head")
    .action(run((c) => hubs(c)));
  program
    .command('move-hub')
    .description('move your feed to the hub at URL: copied whole, handle claimed there, the old hub left a pointer')
    .argument('<url>')
    .option('--progress', 'say on stderr how far it is (always at a terminal)')
    .action((url: string, options: { progress?: boolean }) => run((c) => moveHub(c, url, options))());
  program
    .command('mcp')
    .description('serve these commands as MCP tools on stdio, for an AI agent (docs/cli.md)')
    .action(async () => {
      const { serveMcp } = await import('./mcp/server.ts'); // its own chunk: the SDK doubles the bundle
      exitCode = await serveMcp(io, program.opts<GlobalOptions>().as);
    });
  program
    .command('status')
    .description('what this home holds and has yet to send (no network)')
    .action(run((c) => status(c)));

  try {
    await program.parseAsync([...args], { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) return usageFailure(io, error, json());
    return printFailure(io, error, json());
  }
}

/** Commander's own exits: help asked for is success; anything else is a usage error (exit 2). */
function usageFailure(io: Io, error: CommanderError, json: boolean): number {
  if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return EXIT.ok;
  const message = error.code === 'commander.help' ? 'no command given (murmur --help lists them)' : error.message;
  return printFailure(io, new CliError('Usage', message.replace(/^error: /, '')), json);
}
