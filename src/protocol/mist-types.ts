/**
 * What kind of artifact a mist's file is (issue 20; the Mist reference's
 * "Artifact Types"), told from its name and its bytes, and the symbol anchors
 * of Python, JavaScript and TypeScript code: the top-level functions and
 * classes, as `file.py::name`. A pure heuristic that the author's device runs
 * when it makes a mist and a reader may run again: nothing here trusts the
 * bytes (invalid UTF-8 is binary, long lines are skipped, not matched).
 *
 * The order of the checks is the table's: MIDI's magic wins over any name;
 * an ABI (`.abi`, `.abi.json`, or a JSON array of ABI entries) before a
 * schema (`.json` with `$schema`, or `type` with `properties`); then code by
 * extension, datasets, configuration, named text formats; anything else is
 * text when it decodes as UTF-8 without NUL, else unknown.
 */

export type ArtifactType = 'code' | 'midi' | 'schema' | 'abi' | 'dataset' | 'config' | 'text' | 'unknown';

/** Every artifact type, in the table's order (here, not in mists.ts, so a route or a filter names them cheaply). */
export const ARTIFACT_TYPES: readonly ArtifactType[] = [
  'code',
  'midi',
  'schema',
  'abi',
  'dataset',
  'config',
  'text',
  'unknown',
];

export interface DetectedType {
  readonly type: ArtifactType;
  /** For code: the language its extension names. */
  readonly language?: string;
}

/** Extensions of code, by the language each names. */
const LANGUAGES: Readonly<Record<string, string>> = {
  py: 'python',
  pyi: 'python',
  js: 'javascript',
  mjs: 'javascript',
  cjs: 'javascript',
  jsx: 'javascript',
  ts: 'typescript',
  tsx: 'typescript',
  mts: 'typescript',
  cts: 'typescript',
  rs: 'rust',
  go: 'go',
  java: 'java',
  kt: 'kotlin',
  swift: 'swift',
  c: 'c',
  h: 'c',
  cc: 'cpp',
  cpp: 'cpp',
  cxx: 'cpp',
  hpp: 'cpp',
  cs: 'csharp',
  rb: 'ruby',
  php: 'php',
  scala: 'scala',
  sh: 'shell',
  bash: 'shell',
  zsh: 'shell',
  sql: 'sql',
  lua: 'lua',
  r: 'r',
  dart: 'dart',
  ex: 'elixir',
  exs: 'elixir',
  erl: 'erlang',
  hs: 'haskell',
  ml: 'ocaml',
  clj: 'clojure',
  sol: 'solidity',
  zig: 'zig',
  pl: 'perl',
  html: 'html',
  css: 'css',
  scss: 'scss',
  vue: 'vue',
  svelte: 'svelte',
};
const DATASETS = new Set(['csv', 'tsv', 'ndjson', 'jsonl']);
const CONFIGS = new Set(['yaml', 'yml', 'toml', 'env', 'ini', 'conf']);
const TEXTS = new Set(['md', 'txt', 'rst', 'adoc']);
const MIDI_MAGIC = [0x4d, 0x54, 0x68, 0x64]; // "MThd"
const ABI_ENTRY_TYPES = new Set(['function', 'event', 'constructor', 'error', 'fallback', 'receive']);

/** The artifact type of a file named `name` holding `bytes`. */
export function detectArtifactType(name: string, bytes: Uint8Array): DetectedType {
  const lower = name.toLowerCase();
  const ext = lower.includes('.') ? lower.slice(lower.lastIndexOf('.') + 1) : '';
  if (ext === 'mid' || ext === 'midi' || MIDI_MAGIC.every((b, i) => bytes[i] === b)) return { type: 'midi' };
  if (ext === 'abi' || lower.endsWith('.abi.json')) return { type: 'abi' };
  const text = textOf(bytes);
  if (ext === 'json' || (ext === '' && text?.trimStart().startsWith('['))) {
    const json = parseJson(text);
    if (isAbi(json)) return { type: 'abi' };
    if (ext === 'json' && isSchema(json)) return { type: 'schema' };
  }
  const language = Object.hasOwn(LANGUAGES, ext) ? LANGUAGES[ext] : undefined;
  if (language) return { type: 'code', language };
  if (DATASETS.has(ext)) return { type: 'dataset' };
  // `.env` is all extension; `.env.local` and the like name an env file too.
  if (CONFIGS.has(ext) || lower === '.env' || lower.startsWith('.env.')) return { type: 'config' };
  if (TEXTS.has(ext)) return { type: 'text' };
  return { type: text === undefined ? 'unknown' : 'text' };
}

/** Longest line the anchor patterns look at: a minified line is nobody's top-level definition. */
const MAX_LINE = 1_000;
/** Most anchors kept for one file. */
export const MAX_ANCHORS = 200;

const PYTHON = [/^(?:async\s+)?def\s+([A-Za-z_]\w*)/, /^class\s+([A-Za-z_]\w*)/];
const ECMASCRIPT = [
  /^(?:export\s+(?:default\s+)?)?(?:async\s+)?function\s*\*?\s*([A-Za-z_$][\w$]*)/,
  /^(?:export\s+(?:default\s+)?)?(?:abstract\s+)?class\s+([A-Za-z_$][\w$]*)/,
  // `const name = function`, `= (args) =>`, `= arg =>` (each part bounded, so no line costs more than its length).
  new RegExp(
    '^(?:export\\s+)?(?:const|let|var)\\s+([A-Za-z_$][\\w$]*)\\s*(?::[^=]{0,200})?=\\s*(?:async\\s+)?' +
      '(?:function\\b|\\([^)]{0,500}\\)\\s*(?::[^=]{0,200})?=>|[A-Za-z_$][\\w$]*\\s*=>)',
  ),
];

/**
 * The top-level functions and classes of Python, JavaScript or TypeScript code, in file order, each once, as
 * `name::symbol` (at most MAX_ANCHORS). None for other types or languages, or bytes that are not UTF-8.
 */
export function symbolAnchors(name: string, bytes: Uint8Array, detected = detectArtifactType(name, bytes)): string[] {
  const patterns =
    detected.language === 'python'
      ? PYTHON
      : detected.language === 'javascript' || detected.language === 'typescript'
        ? ECMASCRIPT
        : undefined;
  const text = patterns && textOf(bytes);
  if (!patterns || text === undefined) return [];
  const found = new Set<string>();
  for (const line of text.split(/\r?\n/)) {
    // Top level only: an indented definition is a method or a nested function.
    if (line.length > MAX_LINE || line.length === 0 || /^\s/.test(line)) continue;
    for (const pattern of patterns) {
      const symbol = pattern.exec(line)?.[1];
      if (symbol) {
        found.add(`${name}::${symbol}`);
        break;
      }
    }
    if (found.size >= MAX_ANCHORS) break;
  }
  return [...found];
}

/**
 * The bytes as text when they are UTF-8 without NUL (a NUL says binary); else undefined: how a reader decides
 * whether a mist's file is shown as text at all (the embed page) as well as what type it is.
 */
export function textOf(bytes: Uint8Array): string | undefined {
  if (bytes.includes(0)) return undefined;
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return undefined;
  }
}

function parseJson(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isAbi(json: unknown): boolean {
  return (
    Array.isArray(json) &&
    json.length > 0 &&
    json.every(
      (entry) =>
        typeof entry === 'object' &&
        entry !== null &&
        ABI_ENTRY_TYPES.has((entry as { type?: unknown }).type as string),
    )
  );
}

function isSchema(json: unknown): boolean {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return false;
  return '$schema' in json || ('type' in json && 'properties' in json);
}
