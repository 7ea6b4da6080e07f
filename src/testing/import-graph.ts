/**
 * For the tests that read the source tree's imports (src/layers.test.ts,
 * src/seams.test.ts, src/embed-layer.test.ts): which files are source, what
 * each imports, and which layer an import lands in. A
 * regular-expression reading, enough for this tree's one import style (the
 * formatter keeps it so).
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

export const ROOT = join(import.meta.dirname, '..', '..');

/**
 * Test code: `*.test.ts(x)`, and `contract.ts` (or `NAME-contract.ts`, a part of one), a seam's acceptance
 * suite (STYLE.md: one per seam), which imports vitest and is run by the tests of each implementation.
 */
const TEST_CODE = /(\.test\.tsx?|^([a-z]+-)?contract\.ts)$/;

export function sourceFiles(dir: string, tests = false): string[] {
  return readdirSync(join(ROOT, dir)).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(join(ROOT, path)).isDirectory()) return sourceFiles(path, tests);
    return /\.(ts|tsx)$/.test(name) && (tests || !TEST_CODE.test(name)) ? [path] : [];
  });
}

export interface Import {
  readonly spec: string;
  /** 'type' erases at build; 'entry' is a worker script URL (new URL(...)), loaded in its own thread. */
  readonly kind: 'value' | 'type' | 'entry';
}

export function importsOf(file: string): Import[] {
  return importsOfText(readFileSync(join(ROOT, file), 'utf8'));
}

/**
 * Every import in a module's text: `import x from`, `import type`, `export ... from`, side-effect imports
 * (`import './x.ts'`, which load a module as surely as any other), dynamic `import()` and worker URLs.
 */
export function importsOfText(text: string): Import[] {
  const found: Import[] = [];
  for (const m of text.matchAll(/^\s*(import|export)\s+(type\s+)?[^'"]*?from\s+['"]([^'"]+)['"]/gm)) {
    found.push({ spec: m[3]!, kind: m[2] ? 'type' : 'value' });
  }
  for (const m of text.matchAll(/^\s*import\s+['"]([^'"]+)['"]/gm)) found.push({ spec: m[1]!, kind: 'value' });
  for (const m of text.matchAll(/import\(\s*['"]([^'"]+)['"]/g)) found.push({ spec: m[1]!, kind: 'value' });
  for (const m of text.matchAll(/new URL\(\s*['"]([^'"]+)['"]/g)) found.push({ spec: m[1]!, kind: 'entry' });
  return found;
}

/**
 * Where an import of `file` lands: 'runtime', 'protocol', 'hub', 'workers', 'app', 'client', 'embed', ..., or the
 * npm package / node: name.
 */
export function layerOf(file: string, spec: string): string {
  if (!spec.startsWith('.'))
    return spec.startsWith('node:')
      ? 'node:'
      : spec
          .split('/')
          .slice(0, spec.startsWith('@') ? 2 : 1)
          .join('/');
  const target = relative(ROOT, join(ROOT, file, '..', spec));
  const layers = [
    ['src/runtime', 'runtime'],
    ['src/protocol', 'protocol'],
    ['src/hub-client', 'hub-client'],
    ['src/hub', 'hub'],
    ['workers', 'workers'],
    ['src/app', 'app'],
    ['src/client', 'client'],
    ['src/embed', 'embed'],
    ['src/cli/', 'cli'],
    ['fuzz', 'fuzz'],
  ] as const;
  // 'src/hub-client' before 'src/hub', which is its prefix; 'src/client' before 'src/cli/'.
  for (const [prefix, layer] of layers) {
    if (target.startsWith(prefix)) return layer;
  }
  return target;
}
