/** Field checks for decoders: each failure is a ProtocolError naming the field. */
import type { Canonical } from './canonical.ts';
import { ProtocolError } from './errors.ts';
import { type ObjectId, type PseudonymId, isObjectId, isPseudonymId } from './ids.ts';
import { MAX_SEQ, MAX_TS } from './limits.ts';

type Record_ = { [key: string]: Canonical };

export function invalid(field: string, message: string): ProtocolError {
  return new ProtocolError('InvalidField', `${field}: ${message}`, { field });
}

export function requireKeys(value: Record_, allowed: readonly string[], where: string): void {
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) throw invalid(`${where}.${key}`, 'unknown field');
  }
}

export function readString(value: Record_, field: string, maxChars: number, optional = false): string | undefined {
  const v = value[field];
  if (v === undefined && optional) return undefined;
  if (typeof v !== 'string') throw invalid(field, 'expected a string');
  if ([...v].length > maxChars)
    throw new ProtocolError('TooLarge', `${field}: more than ${maxChars} characters`, { field });
  return v;
}

/** C0 and C1 controls and DEL (an ANSI escape starts with ESC), and the bidi controls that can turn a line. */
export const CONTROL = /[\p{Cc}\p{Bidi_Control}]/u;
/** The same, less tab and line breaks: for text that has lines (a description, a body). */
export const CONTROL_IN_TEXT = /[^\P{Cc}\t\n\r]|\p{Bidi_Control}/u;

/**
 * readString, then no character `control` matches (CONTROL for one line, CONTROL_IN_TEXT for text with lines).
 * @throws ProtocolError InvalidField, TooLarge
 */
export function readText(
  value: Record_,
  field: string,
  maxChars: number,
  control: RegExp,
  optional = false,
): string | undefined {
  const text = readString(value, field, maxChars, optional);
  if (text !== undefined && control.test(text)) throw invalid(field, 'no control, escape or direction characters');
  return text;
}

export function readInt(value: Record_, field: string, min: number): number {
  const v = value[field];
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min)
    throw invalid(field, `expected an integer >= ${min}`);
  return v;
}

/**
 * A commit's or head's `seq` or `ts`: readInt, then the bound (limits.ts says why).
 * @throws ProtocolError InvalidField (not an integer >= min), BadSeq (over MAX_SEQ / MAX_TS)
 */
export function readSeqOrTs(value: Record_, field: 'seq' | 'ts', min: number): number {
  const v = readInt(value, field, min);
  const max = field === 'seq' ? MAX_SEQ : MAX_TS;
  if (v > max) throw new ProtocolError('BadSeq', `${field}: ${v} is over the bound ${max} (2^48)`, { field });
  return v;
}

export function readObjectId(value: Record_, field: string, optional = false): ObjectId | undefined {
  const v = value[field];
  if (v === undefined && optional) return undefined;
  if (!isObjectId(v))
    throw new ProtocolError('MalformedId', `${field}: expected a 64-character lowercase hex id`, { field });
  return v;
}

export function readPseudonymId(value: Record_, field: string): PseudonymId {
  const v = value[field];
  if (!isPseudonymId(v))
    throw new ProtocolError('MalformedId', `${field}: expected a 64-character lowercase hex pseudonym id`, { field });
  return v;
}

export function readArray(value: Record_, field: string, max: number, optional = false): Canonical[] | undefined {
  const v = value[field];
  if (v === undefined && optional) return undefined;
  if (!Array.isArray(v)) throw invalid(field, 'expected an array');
  if (v.length > max) throw new ProtocolError('TooLarge', `${field}: more than ${max} entries`, { field });
  return v;
}

const HUB_ORIGIN = /^https?:\/\/[^\s/?#]+$/;

/**
 * A list of at most `max` hub origins like `https://hub.example` (a DM's or a notice's sender says where its
 * feed lives: a hint the reader checks by what it fetches there).
 * @throws ProtocolError InvalidField
 */
export function checkHubOrigins(hubs: unknown, max: number): asserts hubs is string[] {
  if (
    !Array.isArray(hubs) ||
    hubs.length > max ||
    !hubs.every((h) => typeof h === 'string' && h.length <= 256 && HUB_ORIGIN.test(h))
  ) {
    throw new ProtocolError('InvalidField', `hubs: at most ${max} hub origins like https://hub.example`, {
      field: 'hubs',
    });
  }
}
