/**
 * For tests: a real git repository in a folder, written and committed by named authors at fixed dates, with no
 * user or system git configuration read, so its history is the same on every machine. (Not imported by the
 * command line itself; shared by its tests and the e2e tests, which may not import src/cli.)
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Who acts, and when (an ISO date, used as both author and committer date). */
export interface GitActor {
  readonly author: string;
  readonly date: string;
}

export interface GitRepo {
  readonly dir: string;
  /** Runs git in the repository as `by`; its output, trimmed. */
  git(args: readonly string[], by?: GitActor): string;
  /** Writes `files` (path -> contents), stages everything and commits as `by`; the new commit's hash. */
  commit(message: string, by: GitActor, files?: Readonly<Record<string, string | Uint8Array>>): string;
}

const NOBODY: GitActor = { author: 'Nobody', date: '2026-01-01T00:00:00Z' };

/** `git init` in `dir` (on branch main). */
export function gitRepo(dir: string): GitRepo {
  const git = (args: readonly string[], by: GitActor = NOBODY) => {
    const email = `${by.author.toLowerCase().replaceAll(/\W/g, '')}@example.org`;
    return execFileSync('git', ['-C', dir, '-c', 'commit.gpgsign=false', ...args], {
      encoding: 'utf8',
      env: {
        ...process.env,
        GIT_CONFIG_GLOBAL: '/dev/null',
        GIT_CONFIG_NOSYSTEM: '1',
        GIT_AUTHOR_NAME: by.author,
        GIT_AUTHOR_EMAIL: email,
        GIT_COMMITTER_NAME: by.author,
        GIT_COMMITTER_EMAIL: email,
        GIT_AUTHOR_DATE: by.date,
        GIT_COMMITTER_DATE: by.date,
      },
    }).trim();
  };
  git(['init', '-q', '-b', 'main']);
  return {
    dir,
    git,
    commit: (message, by, files = {}) => {
      for (const [path, contents] of Object.entries(files)) {
        mkdirSync(dirname(join(dir, path)), { recursive: true });
        writeFileSync(join(dir, path), contents);
      }
      git(['add', '--all'], by);
      git(['commit', '-q', '--allow-empty', '-m', message], by);
      return git(['rev-parse', 'HEAD']);
    },
  };
}
