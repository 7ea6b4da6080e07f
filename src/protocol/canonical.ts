/**
 * Canonical encoding: the one deterministic byte form of every signed or
 * hashed value. It is JSON as RFC 8785 (JCS) writes it, narrowed so that a
 * value has exactly one encoding:
 *   - values are strings, safe integers, booleans, arrays and objects; no null
 *     (absent fields are omitted), no fractions, no -0;
 *   - object keys sorted by UTF-16 code units, no whitespace anywhere;
 *   - strings well-formed (no lone surrogates), escaped exactly as
 *     JSON.stringify escapes them; the whole text UTF-8.
 * decodeCanonical re-encodes what it parsed and refuses any input that differs
 * byte for byte, so encode(decode(b)) === b for every accepted b.
 */
import { fromUtf8, utf8 } from './bytes.ts';
import { ProtocolError } from './errors.ts';

export type Canonical = string | number | boolean | Canonical[] | { [key: string]: Canonical };

const MAX_DEPTH = 32;

/** @throws TypeError for a value that has no canonical form (null, fractions, lone surrogates, cycles). */
export function encodeCanonical(value: unknown): Uint8Array {
  return utf8(canonicalText(value));
}

/** The canonical encoding as a string (before UTF-8). @throws TypeError as encodeCanonical. */
export function canonicalText(value: unknown): string {
  return write(value, 0);
}

function write(value: unknown, depth: number): string {
  if (depth > MAX_DEPTH) throw new TypeError('value nested too deeply');
  switch (typeof value) {
    case 'string':
      if (!value.isWellFormed()) throw new TypeError('string has a lone surrogate');
      return JSON.stringify(value);
    case 'number':
      if (!Number.isSafeInteger(value) || Object.is(value, -0)) throw new TypeError(`not a safe integer: ${value}`);
      return String(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object': {
      if (value === null) throw new TypeError('null has no canonical form; omit the field');
      if (Array.isArray(value)) {
        let out = '[';
        for (let i = 0; i < value.length; i++) out += (i ? ',' : '') + write(value[i], depth + 1);
        return `${out}]`;
      }
      if (value instanceof Uint8Array) throw new TypeError('bytes must be hex strings in canonical values');
      const keys = Object.keys(value).sort();
      let out = '{';
      let first = true;
      for (const key of keys) {
        const field = (value as Record<string, unknown>)[key];
        if (field === undefined) continue;
        if (!key.isWellFormed()) throw new TypeError('key has a lone surrogate');
        out += `${first ? '' : ','}${JSON.stringify(key)}:${write(field, depth + 1)}`;
        first = false;
      }
      return `${out}}`;
    }
    default:
      throw new TypeError(`${typeof value} has no canonical form`);
  }
}

/**
 * @throws ProtocolError DecodeError for bytes that are not UTF-8 JSON of allowed
 *   types, NonCanonical for a valid value in a form other than the canonical one.
 */
export function decodeCanonical(bytes: Uint8Array): Canonical {
  let text: string;
  let value: unknown;
  try {
    text = fromUtf8(bytes);
    value = JSON.parse(text);
  } catch (cause) {
    throw new ProtocolError('DecodeError', `not UTF-8 JSON: ${(cause as Error).message}`);
  }
  if (isPlainCanonical(value, 0) && JSON.stringify(value) === text) return value as Canonical;
  // The slow, exact path: also names the reason (DecodeError for values with no canonical form).
  let again: string;
  try {
    again = canonicalText(value);
  } catch (cause) {
    throw new ProtocolError('DecodeError', `value not allowed: ${(cause as Error).message}`);
  }
  if (again !== text) throw new ProtocolError('NonCanonical', 'bytes are not in canonical form');
  return value as Canonical;
}

/**
 * The fast path of the canonical check: true when every value has a canonical
 * form and every object's keys already come in sorted order. Then the
 * canonical writer and the native JSON.stringify emit the same text (it writes
 * strings with JSON.stringify and safe integers as String(n), as stringify
 * does), so comparing JSON.stringify(value) with the input suffices. Anything
 * else (including objects whose integer-like keys JavaScript reorders) takes
 * the exact path.
 */
function isPlainCanonical(value: unknown, depth: number): boolean {
  if (depth > MAX_DEPTH) return false;
  switch (typeof value) {
    case 'string':
      return value.isWellFormed();
    case 'number':
      return Number.isSafeInteger(value) && !Object.is(value, -0);
    case 'boolean':
      return true;
    case 'object': {
      if (value === null) return false;
      if (Array.isArray(value)) {
        for (const item of value) if (!isPlainCanonical(item, depth + 1)) return false;
        return true;
      }
      let previous: string | undefined;
      for (const key in value) {
        if ((previous !== undefined && previous >= key) || !key.isWellFormed()) return false;
        if (!isPlainCanonical((value as Record<string, unknown>)[key], depth + 1)) return false;
        previous = key;
      }
      return true;
    }
    default:
      return false;
  }
}
