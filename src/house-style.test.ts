/**
 * House habits that a scan of the source can keep (STYLE.md, issue 15 point 7):
 * - one private-field style: ES private members (`#name`), private at run time
 *   and not only to the compiler; the TypeScript `private` keyword is left only
 *   on constructors, which ES cannot make private (a static factory builds them).
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';

const ROOT = join(import.meta.dirname, '..');

/** Every .ts/.tsx file under `dir`, tests included, relative to the root. */
function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir)).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(join(ROOT, path)).isDirectory()) return sourceFiles(path);
    return /\.(ts|tsx)$/.test(name) ? [path] : [];
  });
}

const CODE_DIRS = ['src', 'workers', 'e2e', 'bench', 'fuzz'];
/** This file: its samples are data for the controls. */
const SELF = 'src/house-style.test.ts';

/**
 * Lines that declare a member with the `private` keyword (fields, methods, accessors, parameter properties),
 * constructors excepted. A line inside a comment does not count.
 */
function privateKeywordMembers(text: string): string[] {
  return text
    .split('\n')
    .filter((line) => !/^\s*(\/\/|\/?\*)/.test(line))
    .map((line) => line.replace(/\s\/\/\s.*$/, '')) // a trailing comment
    .filter((line) =>
      /(^\s*|[(,]\s*)private\s+(?!constructor\b)(readonly\s+|static\s+|async\s+|get\s+|set\s+)*[\w$]/.test(line),
    );
}

describe('one private-field style: #name', () => {
  test('no member in src, workers, e2e, bench or fuzz is declared with the private keyword', () => {
    const scanned = CODE_DIRS.flatMap((dir) => sourceFiles(dir)).filter((file) => file !== SELF);
    const offending = scanned.flatMap((file) =>
      privateKeywordMembers(readFileSync(join(ROOT, file), 'utf8')).map((line) => `${file}: ${line.trim()}`),
    );
    expect(offending).toEqual([]);
  });

  test('a private field, method or parameter property fails the test above (positive control)', () => {
    const sample = [
      'class A {',
      '  private readonly deps = 1;',
      '  private static count = 0;',
      '  private async run(): Promise<void> {}',
      '  constructor(private readonly db: Db) {}',
      '  constructor(',
      '    private readonly other: Db,',
      '  ) {}',
      '}',
    ].join('\n');
    expect(privateKeywordMembers(sample)).toHaveLength(5);
  });

  test('#fields, private constructors and the word in prose or comments pass (negative control)', () => {
    const sample = [
      'class A {',
      '  readonly #deps = 1;',
      '  private constructor(log: Log) {}',
      '  // a private key stays here',
      '  return undefined; // storage refused (private mode)',
      '   * sealed private state',
      '}',
      "const SALT = utf8('murmur private state v1');",
    ].join('\n');
    expect(privateKeywordMembers(sample)).toEqual([]);
  });
});
