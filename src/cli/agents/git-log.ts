/**
 * A repository's history as the devlog agent reads it: `git log` run with execFile (no shell) and `-z`, so
 * every path comes through exactly as it is named (spaces, tabs, quotes, non-ASCII; never C-quoted), each
 * commit with its hash, parents, committer time, author and `--numstat` line counts, parsed by parseGitLog.
 * A binary file counts no lines (git says `-`); a rename counts under its new name; a merge names no paths of
 * its own (git log shows merges without a diff: the commits it brings carry the changes).
 */
import { createRequire } from 'node:module';
import { promisify } from 'node:util';
import { CoreError } from '../../../workers/errors.ts';
import { CliError } from '../errors.ts';

export interface FileChange {
  readonly path: string;
  /** Lines added and deleted; null for a binary file. */
  readonly added: number | null;
  readonly deleted: number | null;
}

export interface GitCommit {
  readonly hash: string;
  readonly parents: readonly string[];
  /** Committer time, milliseconds since the epoch. */
  readonly committedAt: number;
  /** The author's name (after .mailmap). */
  readonly author: string;
  readonly files: readonly FileChange[];
}

/** Which commits to read, up to `head`: those `head` has that `after` has not, or those committed since. */
export type GitRange = { readonly after: string } | { readonly since: number };

const RECORD = '\x1e';
const FIELD = '\x1f';
/** Hash, parents, committer time (s), author name last (a name is the one field that could hold anything). */
const FORMAT = `${RECORD}%H${FIELD}%P${FIELD}%ct${FIELD}%aN`;
/** A path's counts: `added TAB deleted TAB path`, the path empty for a rename (its two names follow, NUL-ended). */
const NUMSTAT = /^(\d+|-)\t(\d+|-)\t([\s\S]*)$/;
/** git log's answer is held whole; past this it fails (GitFailed) instead of growing without bound. */
const MAX_OUTPUT_BYTES = 256 * 1024 * 1024;

/**
 * The commits in `git log -z --numstat --format=FORMAT` output, newest first as git wrote them.
 * @throws RangeError when the output is not that format
 */
export function parseGitLog(output: string): GitCommit[] {
  const tokens = output.split('\0');
  const commits: { header: Omit<GitCommit, 'files'>; files: FileChange[] }[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!.startsWith('\n') ? tokens[i]!.slice(1) : tokens[i]!;
    if (token === '') continue;
    if (token.startsWith(RECORD)) {
      commits.push({ header: parseHeader(token.slice(1)), files: [] });
      continue;
    }
    const stat = NUMSTAT.exec(token);
    const current = commits.at(-1);
    if (!stat || !current) throw new RangeError(`git log: unexpected output ${JSON.stringify(token.slice(0, 80))}`);
    let path = stat[3]!;
    if (path === '') {
      // A rename or copy: its old name, then its new one, each a token of its own.
      path = tokens[i + 2] ?? '';
      i += 2;
      if (path === '') throw new RangeError('git log: a rename without its new name');
    }
    current.files.push({ path, added: count(stat[1]!), deleted: count(stat[2]!) });
  }
  return commits.map(({ header, files }) => ({ ...header, files }));
}

function parseHeader(text: string): Omit<GitCommit, 'files'> {
  const [hash, parents, time, ...name] = text.split(FIELD);
  if (!hash || !/^[0-9a-f]{40,64}$/.test(hash) || parents === undefined || !/^\d+$/.test(time ?? '')) {
    throw new RangeError(`git log: unexpected commit line ${JSON.stringify(text.slice(0, 80))}`);
  }
  return {
    hash,
    parents: parents === '' ? [] : parents.split(' '),
    committedAt: Number(time) * 1000,
    author: name.join(FIELD),
  };
}

function count(text: string): number | null {
  return text === '-' ? null : Number(text);
}

/** Runs git in `repo`; its stdout. @throws CoreError NotFound (no git); CliError GitFailed (git said no) */
async function git(repo: string, args: readonly string[]): Promise<string> {
  try {
    // Required here, not imported: every command's start would load node:child_process for `agent devlog`.
    const { execFile } = createRequire(import.meta.url)('node:child_process') as typeof import('node:child_process');
    const { stdout } = await promisify(execFile)('git', ['-C', repo, ...args], {
      encoding: 'utf8',
      maxBuffer: MAX_OUTPUT_BYTES,
    });
    return stdout;
  } catch (error) {
    const failure = error as NodeJS.ErrnoException & { stderr?: string };
    if (failure.code === 'ENOENT') throw new CoreError('NotFound', 'git is not installed (or not on PATH)');
    throw new CliError('GitFailed', `git ${args[0]} in ${repo}: ${(failure.stderr || failure.message).trim()}`);
  }
}

/**
 * The full hash of the commit `rev` names in `repo`; undefined when it names none (an empty repository's HEAD,
 * a commit the history no longer has).
 * @throws CoreError NotFound when `repo` is not a git repository (or git is missing)
 */
export async function findCommit(repo: string, rev: string): Promise<string | undefined> {
  try {
    await git(repo, ['rev-parse', '--git-dir']);
  } catch (error) {
    if (error instanceof CliError) throw new CoreError('NotFound', `no git repository at ${repo}`, { field: 'repo' });
    throw error;
  }
  try {
    return (await git(repo, ['rev-parse', '--verify', '--quiet', `${rev}^{commit}`])).trim();
  } catch (error) {
    if (error instanceof CliError) return undefined;
    throw error;
  }
}

/**
 * The commits of `range` up to `head` (a full hash: what is read is what was decided on, whatever lands
 * meanwhile), newest first, merges included.
 * @throws CoreError NotFound (no git); CliError GitFailed
 */
export async function readGitLog(repo: string, head: string, range: GitRange): Promise<GitCommit[]> {
  const output = await git(repo, [
    'log',
    '-z',
    '--numstat',
    '--find-renames',
    '--no-color',
    '--no-ext-diff',
    '--no-textconv',
    '--no-show-signature',
    `--format=${FORMAT}`,
    ...('since' in range ? [`--since=${new Date(range.since).toISOString()}`, head] : [`${range.after}..${head}`]),
    '--',
  ]);
  return parseGitLog(output);
}
