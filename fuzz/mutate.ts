/**
 * Mutators: how the fuzzer turns valid seeds into hostile inputs. A mutation
 * is plain data (`Step[]`, made by fast-check, so it shrinks and replays from
 * a seed); `mutate` applies it to a seed's bytes. Byte-level steps (bit
 * flips, truncation, splicing, ...) break framing; JSON-level steps (a field
 * deleted or duplicated, a huge number, odd unicode, deep nesting) keep the
 * text parseable so the decoder's later checks are reached.
 */
import fc from 'fast-check';

/** One mutation step: a kind and two numbers it reads as positions, lengths or choices. */
export type Step = readonly [kind: number, a: number, b: number];

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Bytes that matter to the formats under test: JSON structure, escapes, UTF-8 lead bytes, line ends. */
const INTERESTING_BYTES = [
  0x00, 0x0a, 0x0d, 0x20, 0x22, 0x2c, 0x2d, 0x30, 0x3a, 0x5b, 0x5c, 0x5d, 0x7b, 0x7d, 0x7f, 0x80, 0xbf, 0xc0, 0xc3,
  0xe2, 0xed, 0xf0, 0xf4, 0xff,
];

/** Tokens spliced in as text: values with no canonical form, edge numbers, unicode that trips decoders. */
const TOKENS = [
  'null',
  'true',
  'false',
  '0',
  '-0',
  '1',
  '-1',
  '1.5',
  '1e3',
  '1E400',
  '-1e-400',
  '9007199254740991',
  '9007199254740992',
  '9007199254740993',
  '281474976710656',
  '281474976710657',
  '18446744073709551616',
  '1'.repeat(400),
  '""',
  '"\\ud800"',
  '"\\udfff\\ud800"',
  '"\\u0000"',
  '"\\u00e9"',
  '"é"',
  '"\u{1F600}"',
  '"\u202e"',
  '"\\/"',
  '"sig"',
  '"type"',
  '[]',
  '{}',
  '[[]]',
  '{"":""}',
  ',',
  ':',
  '"',
  '\\',
  '\\u',
  '\uFEFF',
  ' ',
  '\r\n',
  '\n\n',
  'data: ',
  'event: head\n',
  'id: \0\n',
  'retry: 99999999999999999999\n',
  ':ping\n',
];

/** Replacement JSON values for a field (written as text, so nulls and -0 survive). */
const VALUES = [
  'null',
  '-0',
  '0',
  '-1',
  '1.5',
  '1e21',
  '9007199254740993',
  '281474976710657',
  '-9007199254740991',
  '""',
  '"\\ud83d"',
  `"${'a'.repeat(5000)}"`,
  '"\u{1F600}\u{1F600}"',
  '"0000000000000000000000000000000000000000000000000000000000000000"',
  '[]',
  '[null]',
  '{}',
  '{"type":"x"}',
  'true',
  '[1,2,3]',
];

/** fast-check arbitrary of a mutation: 1 to 4 steps. */
export function stepsArb(): fc.Arbitrary<Step[]> {
  return fc.array(
    fc.tuple(
      fc.nat(KINDS.length - 1).map((i) => KINDS[i]!),
      fc.nat(),
      fc.nat(),
    ),
    { minLength: 1, maxLength: 4 },
  );
}

/** Step kinds (see applyStep), the JSON-level ones twice: a byte flip in JSON text mostly makes it unparseable. */
const KINDS = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 9, 10, 11, 11, 13, 15];

/** Applies `steps` to `seed`; `others` are the target's other seeds, for splicing. Never throws. */
export function mutate(seed: Uint8Array, steps: readonly Step[], others: readonly Uint8Array[]): Uint8Array {
  let out = seed;
  for (const [kind, a, b] of steps) out = applyStep(out, kind, a, b, others);
  // JSON-level steps leave bytes that are not JSON as they were (DMs, seals, batches): change them after all.
  if (out === seed && steps[0]) out = applyStep(seed, 0, steps[0][1], steps[0][2], others);
  return out;
}

function at(bytes: Uint8Array, n: number, extra = 0): number {
  return bytes.length + extra === 0 ? 0 : n % (bytes.length + extra);
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

function applyStep(bytes: Uint8Array, kind: number, a: number, b: number, others: readonly Uint8Array[]): Uint8Array {
  switch (kind) {
    case 0: {
      // flip one bit
      if (bytes.length === 0) return bytes;
      const out = bytes.slice();
      const i = at(bytes, a);
      out[i] = out[i]! ^ (1 << (b % 8));
      return out;
    }
    case 1: {
      // set one byte to an interesting value
      if (bytes.length === 0) return bytes;
      const out = bytes.slice();
      out[at(bytes, a)] = INTERESTING_BYTES[b % INTERESTING_BYTES.length]!;
      return out;
    }
    case 2: // truncate
      return bytes.subarray(0, at(bytes, a, 1));
    case 3: {
      // delete a range
      const i = at(bytes, a);
      return concat(bytes.subarray(0, i), bytes.subarray(Math.min(bytes.length, i + 1 + (b % 64))));
    }
    case 4: {
      // duplicate a range in place
      const i = at(bytes, a);
      const piece = bytes.subarray(i, Math.min(bytes.length, i + 1 + (b % 128)));
      return concat(bytes.subarray(0, i), piece, bytes.subarray(i));
    }
    case 5: {
      // insert a token
      const i = at(bytes, a, 1);
      return concat(bytes.subarray(0, i), encoder.encode(TOKENS[b % TOKENS.length]!), bytes.subarray(i));
    }
    case 6: {
      // splice: our head, another seed's tail
      const other = others.length ? others[b % others.length]! : bytes;
      return concat(bytes.subarray(0, at(bytes, a, 1)), other.subarray(at(other, b >>> 3, 1)));
    }
    case 7: {
      // insert random bytes
      const i = at(bytes, a, 1);
      let x = b | 1;
      const noise = Uint8Array.from({ length: 1 + (a % 16) }, () => {
        x = (x * 1103515245 + 12345) >>> 0;
        return (x >>> 16) & 0xff;
      });
      return concat(bytes.subarray(0, i), noise, bytes.subarray(i));
    }
    case 8: // an arithmetic nudge of one byte (digits one off, quotes next to them)
      if (bytes.length === 0) return bytes;
      {
        const out = bytes.slice();
        const i = at(bytes, a);
        out[i] = (out[i]! + ((b % 7) - 3)) & 0xff;
        return out;
      }
    case 9:
      return onJson(bytes, a, b, deleteField);
    case 10:
      return onJsonText(bytes, a, b, duplicateField);
    case 11:
      return onJsonText(bytes, a, b, replaceValue);
    case 12:
      return onJsonText(bytes, a, b, deepNest);
    case 13:
      return onJson(bytes, a, b, swapStrings);
    case 14: // repeat the whole input (length limits, trailing garbage)
      return bytes.length > 1 << 16 ? bytes : concat(bytes, bytes.subarray(0, at(bytes, a, 1)));
    default: {
      // replace a digit run with a huge or odd number
      const text = decoder.decode(bytes);
      const runs = [...text.matchAll(/-?[0-9]+/g)];
      if (runs.length === 0) return bytes;
      const run = runs[a % runs.length]!;
      const numbers = [
        '9007199254740992',
        '1e308',
        '-0',
        '0.5',
        '281474976710657',
        '00',
        '01',
        '-1',
        '1'.repeat(40),
        '4294967296',
        '2147483648',
      ];
      return encoder.encode(
        text.slice(0, run.index) + numbers[b % numbers.length]! + text.slice(run.index! + run[0].length),
      );
    }
  }
}

// JSON-level steps: parse, change, write back canonically sorted (not canonical when the change has no canonical form).

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function parse(bytes: Uint8Array): Json | undefined {
  try {
    return JSON.parse(decoder.decode(bytes)) as Json;
  } catch {
    return undefined;
  }
}

/** Every object in `value`, outermost first. */
function objects(value: Json, out: { [key: string]: Json }[] = [], depth = 0): { [key: string]: Json }[] {
  if (depth > 40 || value === null || typeof value !== 'object') return out;
  if (!Array.isArray(value)) out.push(value);
  for (const v of Object.values(value)) objects(v, out, depth + 1);
  return out;
}

function onJson(
  bytes: Uint8Array,
  a: number,
  b: number,
  change: (obj: { [key: string]: Json }, b: number) => void,
): Uint8Array {
  const value = parse(bytes);
  if (value === undefined) return bytes;
  const objs = objects(value);
  if (objs.length === 0) return bytes;
  change(objs[a % objs.length]!, b);
  try {
    return encoder.encode(JSON.stringify(value));
  } catch {
    return bytes; // nested deeper than JSON.stringify's stack (earlier deepNest steps)
  }
}

function deleteField(obj: { [key: string]: Json }, b: number): void {
  const keys = Object.keys(obj);
  if (keys.length) delete obj[keys[b % keys.length]!];
}

function swapStrings(obj: { [key: string]: Json }, b: number): void {
  const keys = Object.keys(obj);
  if (keys.length < 2) return;
  const [x, y] = [keys[b % keys.length]!, keys[(b >>> 4) % keys.length]!];
  [obj[x], obj[y]] = [obj[y]!, obj[x]!];
}

/** Text steps: find a `"key":` in the text and change what follows it, keeping the rest byte for byte. */
function onJsonText(
  bytes: Uint8Array,
  a: number,
  b: number,
  change: (text: string, key: RegExpMatchArray, b: number) => string,
): Uint8Array {
  const text = decoder.decode(bytes);
  const keys = [...text.matchAll(/"([^"\\]*)":/g)];
  if (keys.length === 0) return bytes;
  return encoder.encode(change(text, keys[a % keys.length]!, b));
}

/** The end of the JSON value starting at `from` (a scan over brackets and strings; enough for mutation). */
function valueEnd(text: string, from: number): number {
  let depth = 0;
  let inString = false;
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      if (!inString && depth === 0) return i + 1;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') {
      if (depth === 0) return i;
      depth--;
      if (depth === 0) return i + 1;
    } else if (c === ',' && depth === 0) return i;
  }
  return text.length;
}

function duplicateField(text: string, key: RegExpMatchArray, b: number): string {
  const start = key.index!;
  const end = valueEnd(text, start + key[0].length);
  const entry = text.slice(start, end);
  // The same key again, with its own value or another one: JSON.parse keeps the last.
  const again = b % 2 ? entry : key[0] + VALUES[(b >>> 1) % VALUES.length]!;
  return `${text.slice(0, end)},${again}${text.slice(end)}`;
}

function replaceValue(text: string, key: RegExpMatchArray, b: number): string {
  const from = key.index! + key[0].length;
  return text.slice(0, from) + VALUES[b % VALUES.length]! + text.slice(valueEnd(text, from));
}

function deepNest(text: string, key: RegExpMatchArray, b: number): string {
  if (text.length > 1 << 16) return text;
  const from = key.index! + key[0].length;
  const depth = [31, 32, 33, 34, 200, 5000][b % 6]!;
  const open = b & 8 ? '{"a":'.repeat(depth) : '['.repeat(depth);
  const close = b & 8 ? '}'.repeat(depth) : ']'.repeat(depth);
  return `${text.slice(0, from)}${open}1${close}${text.slice(valueEnd(text, from))}`;
}
