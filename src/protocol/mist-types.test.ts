/**
 * Artifact types and symbol anchors over a table of sample files (issue 20 point 2): each row a file name, its
 * bytes, and what the Mist reference's table says it is. Hostile bytes (NUL, invalid UTF-8, a huge line) are
 * binary or skipped, never an error.
 */
import { describe, expect, test } from 'vitest';
import { MAX_ANCHORS, detectArtifactType, symbolAnchors } from './mist-types.ts';

const utf8 = (text: string) => new TextEncoder().encode(text);
const MIDI = new Uint8Array([0x4d, 0x54, 0x68, 0x64, 0, 0, 0, 6, 0, 1, 0, 1, 0, 0x60]);
const ABI = JSON.stringify([
  { type: 'function', name: 'transfer', inputs: [] },
  { type: 'event', name: 'Transfer', inputs: [] },
]);

const SAMPLES: readonly (readonly [string, Uint8Array, string, string?])[] = [
  ['validate_handle.py', utf8('def _validate_handle(h):\n    return h\n'), 'code', 'python'],
  ['index.js', utf8('export function main() {}\n'), 'code', 'javascript'],
  ['app.tsx', utf8('export const App = () => null;\n'), 'code', 'typescript'],
  ['lib.rs', utf8('pub fn main() {}\n'), 'code', 'rust'],
  ['server.go', utf8('package main\n'), 'code', 'go'],
  ['Token.sol', utf8('contract Token {}\n'), 'code', 'solidity'],
  ['SCRIPT.PY', utf8('print(1)\n'), 'code', 'python'], // extensions in any case
  ['song.mid', utf8('not even midi bytes'), 'midi'],
  ['song.bin', MIDI, 'midi'], // the magic wins over the name
  ['mystery', MIDI, 'midi'],
  ['user.json', utf8('{"$schema":"https://json-schema.org/draft/2020-12/schema","type":"object"}'), 'schema'],
  ['point.json', utf8('{"type":"object","properties":{"x":{"type":"number"}}}'), 'schema'],
  ['token.abi', utf8('whatever'), 'abi'],
  ['token.abi.json', utf8('[]'), 'abi'],
  ['token.json', utf8(ABI), 'abi'], // a JSON array of ABI entries
  ['abi-without-extension', utf8(ABI), 'abi'],
  ['data.json', utf8('{"a":1}'), 'text'], // JSON that is no schema
  ['numbers.json', utf8('[1, 2, 3]'), 'text'], // an array, but no ABI
  ['broken.json', utf8('{"$schema":'), 'text'],
  ['rows.csv', utf8('a,b\n1,2\n'), 'dataset'],
  ['rows.tsv', utf8('a\tb\n'), 'dataset'],
  ['events.ndjson', utf8('{}\n{}\n'), 'dataset'],
  ['events.jsonl', utf8('{}\n'), 'dataset'],
  ['compose.yaml', utf8('a: 1\n'), 'config'],
  ['ci.yml', utf8('a: 1\n'), 'config'],
  ['Cargo.toml', utf8('[package]\n'), 'config'],
  ['.env', utf8('KEY=value\n'), 'config'],
  ['.env.local', utf8('KEY=value\n'), 'config'],
  ['settings.ini', utf8('[a]\n'), 'config'],
  ['nginx.conf', utf8('server {}\n'), 'config'],
  ['README.md', utf8('# Hello\n'), 'text'],
  ['notes.txt', utf8('hello\n'), 'text'],
  ['guide.rst', utf8('Title\n=====\n'), 'text'],
  ['book.adoc', utf8('= Book\n'), 'text'],
  ['Makefile', utf8('all:\n\ttrue\n'), 'text'], // unrecognised text
  ['picture.png', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]), 'unknown'],
  ['latin1.txt', new Uint8Array([0x63, 0x61, 0x66, 0xe9]), 'text'], // a named text format keeps its name
  ['latin1', new Uint8Array([0x63, 0x61, 0x66, 0xe9]), 'unknown'], // invalid UTF-8, no name: binary
  ['empty', new Uint8Array(0), 'text'],
];

describe('detectArtifactType', () => {
  const rows = SAMPLES.map(([name, bytes, type, language]) => ({ name, bytes, type, language }));
  test.each(rows)('$name is $type', ({ name, bytes, type, language }) => {
    expect(detectArtifactType(name, bytes)).toEqual(language ? { type, language } : { type });
  });

  test('every type of the reference appears in the table (so none is untested)', () => {
    const types = new Set(SAMPLES.map(([name, bytes]) => detectArtifactType(name, bytes).type));
    expect([...types].sort()).toEqual(['abi', 'code', 'config', 'dataset', 'midi', 'schema', 'text', 'unknown']);
  });

  test('a name that is an object key of every JavaScript object is no language', () => {
    expect(detectArtifactType('x.constructor', utf8('x'))).toEqual({ type: 'text' });
    expect(detectArtifactType('x.__proto__', utf8('x'))).toEqual({ type: 'text' });
  });
});

const PYTHON = `import os

def top():
    def inner():
        pass

async def fetch_all():
    pass

class Handle:
    def method(self):
        pass

x = 1
def top():
    pass
`;

const TYPESCRIPT = `import { a } from './a';

export function main(): void {}
export default function start() {}
async function load() {}
function* walk() {}
export class Store {
  method() {}
}
export abstract class Base {}
export const add = (a: number, b: number): number => a + b;
const double = x => x * 2;
const later = async () => {};
let old = function () {};
const notAFunction = 42;
  function indented() {}
`;

const SYMBOLS: readonly (readonly [string, string, readonly string[]])[] = [
  ['h.py', PYTHON, ['h.py::top', 'h.py::fetch_all', 'h.py::Handle']],
  [
    'store.ts',
    TYPESCRIPT,
    ['main', 'start', 'load', 'walk', 'Store', 'Base', 'add', 'double', 'later', 'old'].map((s) => `store.ts::${s}`),
  ],
  [
    'store.js',
    TYPESCRIPT,
    ['main', 'start', 'load', 'walk', 'Store', 'Base', 'add', 'double', 'later', 'old'].map((s) => `store.js::${s}`),
  ],
  ['lib.rs', 'pub fn main() {}\n', []], // anchors for Python, JavaScript and TypeScript only
  ['notes.md', 'def not_code():\n', []],
];

describe('symbolAnchors', () => {
  test.each(SYMBOLS)('%s', (name, source, anchors) => {
    expect(symbolAnchors(name, utf8(source))).toEqual(anchors);
  });

  test('hostile bytes: invalid UTF-8 has none, a huge line is skipped quickly, the count is capped', () => {
    expect(symbolAnchors('bad.py', new Uint8Array([0x64, 0x65, 0x66, 0x20, 0xff]))).toEqual([]);
    const huge = `const x = (${'a,'.repeat(500_000)}) => 1;\ndef_not = 1\nfunction after() {}\n`;
    expect(symbolAnchors('huge.js', utf8(huge))).toEqual(['huge.js::after']);
    const many = Array.from({ length: MAX_ANCHORS + 50 }, (_, i) => `def f${i}():\n    pass\n`).join('');
    const anchors = symbolAnchors('many.py', utf8(many));
    expect(anchors).toHaveLength(MAX_ANCHORS);
    expect(anchors[0]).toBe('many.py::f0');
  });
});
