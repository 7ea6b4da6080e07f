/**
 * House habits that a scan of the source can keep (STYLE.md, issue 15 point 7):
 * - one private-field style: ES private members (`#name`), private at run time
 *   and not only to the compiler; the TypeScript `private` keyword is left only
 *   on constructors, which ES cannot make private (a static factory builds them);
 * - `getX` throws NotFound and `findX` may return undefined: no function or method named get* declares a
 *   return type that includes undefined (a check of what is written; the audit used the type checker).
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

/** A method or function named get* and its `(` (group 1), or an arrow const named get* and its `(` (group 3). */
const GET_DECLARATION = new RegExp(
  [
    /(?:^[ \t]*(?:export\s+)?(?:(?:async|static|readonly|public|protected|override)\s+)*|\bfunction\s+)/.source,
    /(#?get[A-Z]\w*)\s*(?:<[^>]*>)?\s*(\()/.source,
    '|',
    /^[ \t]*(?:export\s+)?const\s+(get[A-Z]\w*)\s*=\s*(?:async\s*)?(\()/.source,
  ].join(''),
  'gm',
);

/**
 * The get* declarations (functions, methods, method signatures, arrow consts) whose written return type
 * includes `undefined`, as `name: return type`. Calls are not declarations: a name must start its line
 * (after modifiers) or follow `function`, and be followed by its parameters and a `:` type.
 */
function getDeclarationsReturningUndefined(text: string): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(GET_DECLARATION)) {
    const name = m[1] ?? m[3]!;
    const open = m.index + m[0].length - 1;
    const close = closingParen(text, open);
    const rest = text.slice(close + 1);
    const typed = /^\s*:\s*/.exec(rest);
    if (close < 0 || !typed) continue;
    const type = returnType(rest.slice(typed[0].length));
    if (/\bundefined\b/.test(type)) found.push(`${name}: ${type}`);
  }
  return found;
}

/** The index of the `)` that closes the `(` at `open`, or -1. */
function closingParen(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')' && --depth === 0) return i;
  }
  return -1;
}

/** A written return type: up to the body's `{`, a `;`, an arrow's `=>` or a line end, at bracket depth 0. */
function returnType(text: string): string {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (depth === 0 && (c === ';' || c === '\n' || text.startsWith('=>', i) || (c === '{' && i > 0))) {
      return text.slice(0, i).trim();
    }
    if ('<([{'.includes(c)) depth++;
    else if ('>)]}'.includes(c) && !(c === '>' && text[i - 1] === '=')) depth--;
  }
  return text.trim();
}

describe('get* throws NotFound; find* may return undefined', () => {
  test('no function or method named get* in src or workers declares a return type with undefined', () => {
    const scanned = ['src', 'workers'].flatMap((dir) => sourceFiles(dir)).filter((file) => file !== SELF);
    const offending = scanned.flatMap((file) =>
      getDeclarationsReturningUndefined(readFileSync(join(ROOT, file), 'utf8')).map((found) => `${file}: ${found}`),
    );
    expect(offending).toEqual([]);
  });

  test('a get* function, method, signature or arrow that may return undefined fails it (positive control)', () => {
    const sample = [
      'export async function getProfile(db: Db, id: Id): Promise<ProfileView | undefined> {',
      '  getThread(viewer: PseudonymId, post: ObjectId): Promise<ThreadView | undefined>;',
      '  async #getEntry(key: (k: string) => void): Promise<Entry | undefined> {',
      'const getMedia = async (id: ObjectId): Promise<Uint8Array | undefined> => {',
      'export function getFirst<T>(',
      '  items: readonly T[],',
      '): T | undefined {',
    ].join('\n');
    expect(getDeclarationsReturningUndefined(sample).map((f) => f.split(':')[0])).toEqual([
      'getProfile',
      'getThread',
      '#getEntry',
      'getMedia',
      'getFirst',
    ]);
  });

  test('find* that may return undefined, get* that cannot, and calls pass (negative control)', () => {
    const sample = [
      'export function findTips(db: Db): Promise<TipsRow | undefined> {',
      'export function getPost(db: Db, id: ObjectId): Promise<PostView> {',
      '  getSyncStatus(pseudonym: PseudonymId): Promise<SyncStatus>;',
      '  const x = cond ? getThread(a) : undefined;',
      '  getThread(a, b).then((v) => v ?? undefined);',
      'function getSorted(map: Map<string, number | undefined>): string[] {',
    ].join('\n');
    expect(getDeclarationsReturningUndefined(sample)).toEqual([]);
  });
});
