/** The `hive` commands as commander registers them (hives.ts and hive-read.ts run them; docs/cli.md). */
import { type Command, InvalidArgumentError } from 'commander';
import type { ObjectId } from '../../protocol/ids.ts';
import type { Answer } from '../answer.ts';
import type { CommandContext } from './context.ts';
import { type ShowOptions, discoverHives, listHives, showHive } from './hive-read.ts';
import { type NewHiveOptions, actInHive, createHive, joinHive, leaveHive, moderateHive } from './hives.ts';

type Run = (handler: (context: CommandContext) => Promise<Answer>) => () => Promise<void>;

const collect = (value: string, previous: readonly string[]) => [...previous, value];

const VOTES = { up: 1, down: -1, none: 0 } as const;

function voteValue(text: string): -1 | 0 | 1 {
  if (!(text in VOTES)) throw new InvalidArgumentError('up, down or none');
  return VOTES[text as keyof typeof VOTES];
}

function oneOf<T extends string>(values: readonly T[]) {
  return (text: string): T => {
    if (!values.includes(text as T)) throw new InvalidArgumentError(values.join(', '));
    return text as T;
  };
}

/** Where the hive is, when HIVE is a bare id this pseudonym has not made or joined. */
const withHub = (command: Command) =>
  command.option('--hub <url>', "the hive's hub (repeat for more; its link names them)", collect, []);

export function hiveCommands(program: Command, run: Run): void {
  const hive = program.command('hive').description('communities of posts, comments and votes, moderated in the open');
  hive
    .command('create')
    .description('make a hive NAME owned by you; its link is printed')
    .argument('<name>')
    .option('--description <text>', 'what it is about (at most 1,024 characters)')
    .option('--rules <text>', 'its rules (at most 10,000 characters)')
    .option('--approval', 'members join once you or a moderator approve them (default: open)')
    .option('--listed', "list it in its hub's directory (its key claims a handle there)")
    .option('--handle <name>', 'for --listed: the handle name (default: from NAME)')
    .option('--hub <url>', 'a hub for its feed and board (repeat; default: your hubs)', collect, [])
    .action((name: string, options: NewHiveOptions) => run((c) => createHive(c, name, options))());
  hive
    .command('list')
    .description('the hives you made or joined')
    .action(run((c) => listHives(c)));
  hive
    .command('discover')
    .description("the hives listed in your hub's directory")
    .action(run((c) => discoverHives(c)));
  withHub(
    hive.command('show').description('HIVE (its link or id): posts, or one post with its comments').argument('<hive>'),
  )
    .option('--sort <order>', 'new (default) or top', oneOf(['new', 'top'] as const))
    .option(
      '--window <span>',
      'for top: day, week (default), month or all',
      oneOf(['day', 'week', 'month', 'all'] as const),
    )
    .option('--post <id>', 'this post with its comments as a thread')
    .action((ref: string, options: ShowOptions) => run((c) => showHive(c, ref, options))());
  withHub(hive.command('join').description('join HIVE').argument('<hive>')).action(
    (ref: string, options: { hub: string[] }) => run((c) => joinHive(c, ref, options.hub))(),
  );
  withHub(hive.command('leave').description('leave HIVE (what you said stays)').argument('<hive>')).action(
    (ref: string, options: { hub: string[] }) => run((c) => leaveHive(c, ref, options.hub))(),
  );
  withHub(hive.command('post').description('submit a post to HIVE: a title, and a body or a link').argument('<hive>'))
    .requiredOption('--title <text>', 'at most 300 characters')
    .option('--body <text>', 'at most 10,000 characters')
    .option('--link <url>', 'an http(s) link')
    .action((ref: string, o: { title: string; body?: string; link?: string; hub: string[] }) =>
      run((c) =>
        actInHive(
          c,
          ref,
          o.hub,
          (api, me, at) =>
            api.postToHive(me, at, {
              title: o.title,
              ...(o.body !== undefined && { body: o.body }),
              ...(o.link !== undefined && { link: o.link }),
            }),
          'Posted.',
        ),
      )(),
    );
  withHub(hive.command('comment').description('comment on POST in HIVE').argument('<hive>').argument('<post>'))
    .argument('<text>')
    .option('--parent <comment>', 'answer this comment (default: the post itself)')
    .action((ref: string, post: string, text: string, o: { parent?: string; hub: string[] }) =>
      run((c) =>
        actInHive(
          c,
          ref,
          o.hub,
          (api, me, at) =>
            api.commentInHive(me, at, {
              post: post as ObjectId,
              body: text,
              ...(o.parent !== undefined && { parent: o.parent as ObjectId }),
            }),
          'Commented.',
        ),
      )(),
    );
  withHub(
    hive.command('vote').description('vote on a post or comment: up, down, or none to withdraw').argument('<hive>'),
  )
    .argument('<target>')
    .argument('<vote>', 'up, down or none', voteValue)
    .action((ref: string, target: string, value: -1 | 0 | 1, o: { hub: string[] }) =>
      run((c) =>
        actInHive(c, ref, o.hub, (api, me, at) => api.voteInHive(me, at, target as ObjectId, value), 'Voted.'),
      )(),
    );
  withHub(
    hive
      .command('mod')
      .description(
        'as a moderator (or the owner): approve|ban|unban MEMBER, remove TARGET, add-mod|remove-mod MEMBER, settings',
      )
      .argument('<hive>')
      .argument('<action>')
      .argument('[target]'),
  )
    .option('--reason <text>', 'for remove: the public reason')
    .option('--name <text>', 'for settings: a new name')
    .option('--description <text>', 'for settings: a new description')
    .option('--rules <text>', 'for settings: new rules')
    .action((ref: string, action: string, target: string | undefined, o: Parameters<typeof moderateHive>[4]) =>
      run((c) => moderateHive(c, ref, action, target, o))(),
    );
}
