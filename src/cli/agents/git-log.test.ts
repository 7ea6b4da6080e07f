/**
 * The devlog's git reader: parseGitLog on output as git writes it (literal bytes, so each case is readable), and
 * readGitLog against a real repository made here with fixed dates: paths with spaces and tabs, a rename, a
 * binary file, a merge, both kinds of range, an empty repository and a folder that is none.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { gitRepo } from '../../testing/git-repo.ts';
import { findCommit, parseGitLog, readGitLog } from './git-log.ts';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);
const C = 'c'.repeat(40);
const header = (hash: string, parents: string, time: number, author: string) =>
  `\x1e${hash}\x1f${parents}\x1f${time}\x1f${author}\0`;

describe('parseGitLog', () => {
  test('commits with their counts; paths with spaces and tabs as named; a rename under its new name', () => {
    const output =
      `${header(A, B, 1764583200, 'Ada Lovelace')}\n3\t1\tsrc/a file.ts\0` +
      `10\t0\ttab\tname\0` +
      `${header(B, '', 1764579600, 'Grace')}\n1\t2\t\0old name.md\0docs/new name.md\0`;
    expect(parseGitLog(output)).toEqual([
      {
        hash: A,
        parents: [B],
        committedAt: 1764583200_000,
        author: 'Ada Lovelace',
        files: [
          { path: 'src/a file.ts', added: 3, deleted: 1 },
          { path: 'tab\tname', added: 10, deleted: 0 },
        ],
      },
      {
        hash: B,
        parents: [],
        committedAt: 1764579600_000,
        author: 'Grace',
        files: [{ path: 'docs/new name.md', added: 1, deleted: 2 }],
      },
    ]);
  });

  test('a binary file counts no lines (null); a merge names no paths; an author name may hold anything', () => {
    const output = `${header(A, `${B} ${C}`, 1, 'x\x1fy')}${header(B, C, 2, '')}\n-\t-\timg/logo.png\0`;
    expect(parseGitLog(output)).toEqual([
      { hash: A, parents: [B, C], committedAt: 1000, author: 'x\x1fy', files: [] },
      {
        hash: B,
        parents: [C],
        committedAt: 2000,
        author: '',
        files: [{ path: 'img/logo.png', added: null, deleted: null }],
      },
    ]);
  });

  test('no output is no commits; anything else is refused (RangeError)', () => {
    expect(parseGitLog('')).toEqual([]);
    expect(() => parseGitLog('1\t2\tfile\0')).toThrow(RangeError); // counts before any commit
    expect(() => parseGitLog(`${header(A, '', 1, 'x')}\nnot a count\0`)).toThrow(RangeError);
    expect(() => parseGitLog('\x1enot-a-hash\x1f\x1f1\x1fx\0')).toThrow(RangeError);
    expect(() => parseGitLog(`${header(A, '', 1, 'x')}\n1\t1\t\0only the old name`)).toThrow(RangeError);
  });
});

describe('readGitLog on a real repository', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });
  const tempDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'murmur-git-log-'));
    dirs.push(dir);
    return dir;
  };
  test('renames, binary files, spaces, a merge; after a commit, or since a time', async () => {
    const { dir: repo, git, commit } = gitRepo(tempDir());
    const first = commit(
      'first',
      { author: 'Ada', date: '2026-12-01T10:00:00Z' },
      {
        'a file.txt': 'one\ntwo\n',
        'logo.png': new Uint8Array([0, 1, 2, 3]),
      },
    );
    git(['mv', 'a file.txt', 'b file.txt']);
    commit(
      'second',
      { author: 'Grace', date: '2026-12-02T09:00:00Z' },
      {
        'b file.txt': 'one\ntwo\nthree\n',
        'logo.png': new Uint8Array([0, 1, 2, 4, 5]),
      },
    );
    git(['checkout', '-q', '-b', 'side', first]);
    commit('side', { author: 'Lin', date: '2026-12-02T10:00:00Z' }, { 'side.txt': 'x\n' });
    git(['checkout', '-q', 'main']);
    git(['merge', '-q', '--no-edit', 'side'], { author: 'Ada', date: '2026-12-02T11:00:00Z' });

    const head = await findCommit(repo, 'HEAD');
    expect(head).toBe(git(['rev-parse', 'HEAD']));
    const after = await readGitLog(repo, head!, { after: first });
    expect(after.map((c) => [c.author, c.parents.length, c.files])).toEqual([
      ['Ada', 2, []],
      ['Lin', 1, [{ path: 'side.txt', added: 1, deleted: 0 }]],
      [
        'Grace',
        1,
        [
          { path: 'b file.txt', added: 1, deleted: 0 },
          { path: 'logo.png', added: null, deleted: null },
        ],
      ],
    ]);
    expect(after[0]!.hash).toBe(head);
    const since = await readGitLog(repo, head!, { since: Date.parse('2026-12-02T09:30:00Z') });
    expect(since.map((c) => c.author)).toEqual(['Ada', 'Lin']);
    expect(await readGitLog(repo, head!, { after: head! })).toEqual([]);
  });

  test('an empty repository has no HEAD; a commit it lacks is undefined; a plain folder is NotFound', async () => {
    const { dir: repo } = gitRepo(tempDir());
    expect(await findCommit(repo, 'HEAD')).toBeUndefined();
    expect(await findCommit(repo, 'f'.repeat(40))).toBeUndefined();
    await expect(findCommit(tempDir(), 'HEAD')).rejects.toMatchObject({ name: 'NotFound' });
  });
});
