/**
 * House habits the formatter does not enforce (STYLE.md, issue 15 point 7). Biome wraps code at 120 columns
 * but leaves comments, strings and test titles as written, so this test holds every source line to that width.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';

const ROOT = join(import.meta.dirname, '..');
const MAX_COLUMNS = 120;
const FOLDERS = ['src', 'workers', 'e2e', 'bench', 'fuzz', 'scripts'];
const SOURCE = /\.(ts|tsx|mjs|css)$/;

/** Tracked source files under FOLDERS, and the root's own (the vite, vitest and Playwright configs). */
function trackedSources(): string[] {
  const tracked = execFileSync('git', ['ls-files', '-z'], { cwd: ROOT, encoding: 'utf8' }).split('\0');
  return tracked.filter((path) => {
    if (!SOURCE.test(path)) return false;
    const top = path.split('/')[0]!;
    return path === top || FOLDERS.includes(top);
  });
}

/** `<line number>: <length>` for each line longer than MAX_COLUMNS, counted in characters (code points). */
function longLines(text: string): string[] {
  return text.split('\n').flatMap((line, i) => {
    const columns = [...line.replace(/\r$/, '')].length;
    return columns > MAX_COLUMNS ? [`${i + 1}: ${columns}`] : [];
  });
}

test(`no source line is longer than ${MAX_COLUMNS} characters`, () => {
  const files = trackedSources();
  expect(files).toContain('src/line-length.test.ts');
  expect(files).toContain('vitest.config.ts');
  const offending = files.flatMap((file) => {
    const text = readFileSync(join(ROOT, file), 'utf8');
    return longLines(text).map((where) => `${file}:${where}`);
  });
  expect(offending).toEqual([]);
});

test('the check counts code points, not UTF-16 units, and flags only lines over the limit (positive control)', () => {
  const exact = 'x'.repeat(MAX_COLUMNS);
  const over = `${exact}y`;
  const emoji = '😀'.repeat(MAX_COLUMNS); // two UTF-16 units each, one character
  expect(longLines(`${exact}\r\n${emoji}\nshort`)).toEqual([]);
  expect(longLines(`short\n${over}\n${exact}`)).toEqual([`2: ${MAX_COLUMNS + 1}`]);
});
