/** The devlog post's words and marks: the summary, the body within the post limit, the tags read back. */
import { describe, expect, test } from 'vitest';
import { LIMITS } from '../../protocol/limits.ts';
import { devlogBody, devlogTags, findDevlogMark, isUtcDay, summarizeCommits } from './devlog-post.ts';
import type { GitCommit } from './git-log.ts';

let n = 0;
const commit = (author: string, files: GitCommit['files'], parents = 1): GitCommit => ({
  hash: (++n).toString(16).padStart(40, '0'),
  parents: Array.from({ length: parents }, (_, i) => String(i).repeat(40)),
  committedAt: 0,
  author,
  files,
});

describe('summarizeCommits and devlogBody', () => {
  test('counts, authors by commits, paths by lines changed (binary ones say so), merges counted', () => {
    const commits = [
      commit('Ada', [{ path: 'src/a b.ts', added: 10, deleted: 2 }]),
      commit('Grace', [
        { path: 'docs/x.md', added: 3, deleted: 0 },
        { path: 'logo.png', added: null, deleted: null },
      ]),
      commit('Ada', [{ path: 'docs/x.md', added: 1, deleted: 1 }]),
      commit('Ada', [], 2),
    ];
    const summary = summarizeCommits(commits);
    expect(summary).toEqual({
      commits: 4,
      merges: 1,
      authors: [
        { name: 'Ada', commits: 3 },
        { name: 'Grace', commits: 1 },
      ],
      paths: [
        { path: 'src/a b.ts', added: 10, deleted: 2, binary: false, commits: 1 },
        { path: 'docs/x.md', added: 4, deleted: 1, binary: false, commits: 2 },
        { path: 'logo.png', added: 0, deleted: 0, binary: true, commits: 1 },
      ],
    });
    expect(devlogBody(summary, '2026-12-01')).toBe(
      '4 commits by Ada, Grace since 2026-12-01: most changed: ' +
        'src/a b.ts (+10 −2), docs/x.md (+4 −1), logo.png (binary)',
    );
    expect(devlogBody(summarizeCommits([commit('Lin', [], 2)]), '2026-12-02')).toBe('1 commit by Lin since 2026-12-02');
  });

  test('past three authors and five paths the rest are counted or left out; long names are clipped', () => {
    const long = 'x'.repeat(5000);
    const commits = ['A', 'B', 'C', 'D', 'E', long].map((author, i) =>
      commit(author, [
        { path: `${long}/file ${i}.ts`, added: 100 - i, deleted: 0 },
        { path: `tab\there ${i}`, added: 1, deleted: 0 },
      ]),
    );
    const body = devlogBody(summarizeCommits(commits), '2026-12-01');
    expect(body).toMatch(
      /^6 commits by A, B, C \(\+3 others\) since 2026-12-01: most changed: …x+\/file 0\.ts \(\+100 −0\)/,
    );
    expect(body.match(/\(\+\d+ −0\)/g)).toHaveLength(5);
    expect(body).not.toContain('\t');
    expect([...body].length).toBeLessThanOrEqual(LIMITS.postBodyChars);
    expect(devlogBody(summarizeCommits([commit(long, [])]), '2026-12-01')).toMatch(/^1 commit by x{39}… since/);
  });
});

describe('devlog marks', () => {
  test('the tags carry the day and the head (40 hex digits at most: a tag is 64 characters)', () => {
    const tags = devlogTags('2026-12-01', 'ab'.repeat(32));
    expect(tags).toEqual(['devlog', 'devlog-day:2026-12-01', `devlog-head:${'ab'.repeat(20)}`]);
    expect(tags.every((t) => t.length <= LIMITS.tagChars)).toBe(true);
    expect(findDevlogMark(tags)).toEqual({ day: '2026-12-01', head: 'ab'.repeat(20) });
  });

  test('a post without the devlog tag or a valid day is not a devlog post; a bad head is no head', () => {
    expect(findDevlogMark(undefined)).toBeUndefined();
    expect(findDevlogMark(['devlog-day:2026-12-01'])).toBeUndefined();
    expect(findDevlogMark(['devlog'])).toBeUndefined();
    expect(findDevlogMark(['devlog', 'devlog-day:2026-02-30'])).toBeUndefined();
    expect(findDevlogMark(['devlog', 'devlog-day:2026-12-01', 'devlog-head:--option'])).toEqual({
      day: '2026-12-01',
      head: undefined,
    });
  });

  test('isUtcDay takes real calendar days written YYYY-MM-DD only', () => {
    expect(['2026-12-01', '2024-02-29'].map(isUtcDay)).toEqual([true, true]);
    expect(['2026-02-29', '2026-13-01', '2026-1-01', '2026-12-01T00:00', ''].map(isUtcDay)).toEqual([
      false,
      false,
      false,
      false,
      false,
    ]);
  });
});
