/**
 * No line over 120 characters in the UI's source (STYLE.md, issue 15's house habits). Biome wraps code at 120
 * but leaves comments, strings and CSS URLs as written: this keeps those in line too.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, test } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const MAX = 120;
const FOLDERS = ['src/app', 'src/client'];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|tsx|css)$/.test(name) ? [path] : [];
  });
}

describe('UI source lines', () => {
  for (const folder of FOLDERS) {
    test(`none over ${MAX} characters in ${folder}`, () => {
      const long = sourceFiles(join(ROOT, folder)).flatMap((path) =>
        readFileSync(path, 'utf8')
          .split('\n')
          .flatMap((line, i) => (line.length > MAX ? [`${relative(ROOT, path)}:${i + 1} (${line.length})`] : [])),
      );
      expect(long).toEqual([]);
    });
  }
});
