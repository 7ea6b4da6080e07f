/** The `mist` commands as commander registers them (mists.ts runs them; docs/cli.md is the reference). */
import type { Command } from 'commander';
import type { Answer } from '../answer.ts';
import type { CommandContext } from './context.ts';
import { type MistFields, createMist, deleteMist, forkMist, readMistFile, updateMist } from './mists.ts';
import { listMists, readMist } from './mist-read.ts';

type Run = (handler: (context: CommandContext) => Promise<Answer>) => () => Promise<void>;

const collect = (value: string, previous: readonly string[]) => [...previous, value];

function withFields(command: Command): Command {
  return command
    .option('--title <text>', 'a title (at most 500 characters)')
    .option('--description <text>', 'what it is (at most 10,000 characters)')
    .option('--tag <tag>', 'a tag (repeat for more, at most 10)', collect, []);
}

/** Options as commander parses them: an unset --tag is [], which means "no change" to update. */
function fieldsOf(options: MistFields & { tag: string[] }, keepTags: boolean): MistFields {
  return { ...options, ...(keepTags && options.tag.length === 0 && { tag: undefined }) };
}

export function mistCommands(program: Command, run: Run): void {
  const mist = program.command('mist').description('share files as mists: permanent, verifiable, forkable');
  withFields(mist.command('create').description('share FILE as a mist').argument('<file>'))
    .option('--secret', 'sealed: only whoever holds its link reads it (the link is printed)')
    .action((file: string, options: MistFields & { tag: string[] }) =>
      run((c) => createMist(c, readMistFile(file), fieldsOf(options, false)))(),
    );
  mist
    .command('list')
    .description('your mists and those of the people you follow, the latest first')
    .option('--type <type>', 'only this kind: code, midi, schema, abi, dataset, config, text, unknown')
    .option('--mine', 'only your own')
    .action((options: { type?: string; mine?: boolean }) => run((c) => listMists(c, options))());
  mist
    .command('read')
    .description('show mist ID (or AUTHOR/ID, or a secret mist’s link): its file, checked against its version')
    .argument('<id>')
    .option('--raw', 'write the file alone, byte for byte (for a pipe or a file)')
    .action((id: string, options: { raw?: boolean }) => run((c) => readMist(c, id, options))());
  withFields(
    mist
      .command('update')
      .description('a new version of your mist ID: a new FILE, or new words')
      .argument('<id>')
      .argument('[file]'),
  ).action((id: string, file: string | undefined, options: MistFields & { tag: string[] }) =>
    run((c) => updateMist(c, id, file === undefined ? undefined : readMistFile(file), fieldsOf(options, true)))(),
  );
  mist
    .command('delete')
    .description('delete your mist ID: every version stops showing')
    .argument('<id>')
    .action((id: string) => run((c) => deleteMist(c, id))());
  mist
    .command('fork')
    .description('make a mist of your own from mist ID (or AUTHOR/ID), naming it as the parent')
    .argument('<id>')
    .action((id: string) => run((c) => forkMist(c, id))());
}
