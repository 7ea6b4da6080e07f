/**
 * Keeps the imports pointing one way (STYLE.md): protocol imports only
 * @noble/*; the hub imports protocol and node:*; workers add idb, comlink and
 * yjs; the UI reaches workers only for types. Tests may import across layers.
 * fuzz/ may import anything and nothing imports it, tests included.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, test } from 'vitest';

const ROOT = join(import.meta.dirname, '..');

function sourceFiles(dir: string, tests = false): string[] {
  return readdirSync(join(ROOT, dir)).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(join(ROOT, path)).isDirectory()) return sourceFiles(path, tests);
    return /\.(ts|tsx)$/.test(name) && (tests || !/\.test\.tsx?$/.test(name)) ? [path] : [];
  });
}

interface Import {
  readonly spec: string;
  /** 'type' erases at build; 'entry' is a worker script URL (new URL(...)), loaded in its own thread. */
  readonly kind: 'value' | 'type' | 'entry';
}

function importsOf(file: string): Import[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const found: Import[] = [];
  for (const m of text.matchAll(/^\s*(import|export)\s+(type\s+)?[^'"]*?from\s+['"]([^'"]+)['"]/gm)) {
    found.push({ spec: m[3]!, kind: m[2] ? 'type' : 'value' });
  }
  for (const m of text.matchAll(/import\(\s*['"]([^'"]+)['"]/g)) found.push({ spec: m[1]!, kind: 'value' });
  for (const m of text.matchAll(/new URL\(\s*['"]([^'"]+)['"]/g)) found.push({ spec: m[1]!, kind: 'entry' });
  return found;
}

/** Where an import lands: 'protocol', 'hub', 'workers', 'app', 'client', or the npm package / node: name. */
function layerOf(file: string, spec: string): string {
  if (!spec.startsWith('.')) return spec.startsWith('node:') ? 'node:' : spec.split('/').slice(0, spec.startsWith('@') ? 2 : 1).join('/');
  const target = relative(ROOT, join(ROOT, file, '..', spec));
  for (const [prefix, layer] of [['src/protocol', 'protocol'], ['src/hub', 'hub'], ['workers', 'workers'], ['src/app', 'app'], ['src/client', 'client'], ['fuzz', 'fuzz']] as const) {
    if (target.startsWith(prefix)) return layer;
  }
  return target;
}

const RULES: { dir: string; allowed: (layer: string, kind: Import['kind']) => boolean }[] = [
  { dir: 'src/protocol', allowed: (l) => l === 'protocol' || l.startsWith('@noble/') },
  { dir: 'src/hub', allowed: (l) => l === 'protocol' || l === 'hub' || l === 'node:' },
  {
    dir: 'workers',
    allowed: (l) => ['protocol', 'workers', 'idb', 'comlink', 'yjs'].includes(l) || l.startsWith('@noble/') || l.startsWith('workbox-'),
  },
  { dir: 'src/client', allowed: (l, kind) => ['client', 'protocol', 'comlink'].includes(l) || (l === 'workers' && kind !== 'value') },
  {
    dir: 'src/app',
    allowed: (l, kind) => ['app', 'protocol', 'client', 'react', 'react-dom', 'workbox-window'].includes(l) || l.startsWith('virtual:') || (l === 'workers' && kind === 'type'),
  },
  { dir: 'fuzz', allowed: () => true },
];

describe('imports point one way', () => {
  for (const rule of RULES) {
    test(`${rule.dir} imports only what its layer may`, () => {
      const offending = sourceFiles(rule.dir).flatMap((file) =>
        importsOf(file)
          .filter((i) => !rule.allowed(layerOf(file, i.spec), i.kind))
          .map((i) => `${file}: ${i.spec}`),
      );
      expect(offending).toEqual([]);
    });
  }
});

test('nothing imports fuzz/ (it is a leaf: targets, seeds and mutators for the fuzz run only)', () => {
  const offending = ['src', 'workers', 'e2e', 'scripts', 'bench'].flatMap((dir) =>
    sourceFiles(dir, true).flatMap((file) => importsOf(file).filter((i) => layerOf(file, i.spec) === 'fuzz').map((i) => `${file}: ${i.spec}`)),
  );
  expect(offending).toEqual([]);
});
