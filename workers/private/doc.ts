/**
 * The shape of a pseudonym's private Yjs document and the pure reads and
 * changes on it. Top-level types:
 *
 * - `drafts`: Y.Map of draft id -> Y.Map { text: Y.Text, updatedAt, replyTo?, quoteOf? };
 * - `mutedUsers`, `mutedWords`, `mutedTags`, `blocked`, `privateFollows`, `inboxAllow`, `approvedFollowers`:
 *   Y.Map of value -> time added (a key present means on);
 * - `lens`: Y.Map of setting name -> scalar;
 * - `inbox`: Y.Map { mode } (inbox-policy.ts's modes; absent is `open`);
 * - `directory`: Y.Map { listed: boolean, searchable: boolean } (listed absent: never listed, so there is nothing
 *   to unlist; searchable absent: found by topic only).
 *
 * Draft text is changed by the smallest splice that turns the old text into
 * the new, so two devices typing in different places of one draft both keep
 * their words when their updates merge.
 */
import * as Y from 'yjs';
import { LIMITS } from '../../src/protocol/limits.ts';
import { type ObjectId, type PseudonymId, isObjectId, isPseudonymId } from '../../src/protocol/ids.ts';
import { type InboxMode, PERSON_INBOX_MODES } from '../../src/protocol/inbox-policy.ts';
import { CoreError } from '../errors.ts';
import {
  DEFAULT_INBOX_MODE,
  type DraftInput,
  type DraftView,
  type LensValue,
  type ListedEntry,
  type MuteKind,
  type PrivateSettings,
} from './types.ts';

export type ListName =
  | 'mutedUsers'
  | 'mutedWords'
  | 'mutedTags'
  | 'blocked'
  | 'privateFollows'
  | 'inboxAllow'
  | 'approvedFollowers';

/** The lists whose values are pseudonym ids (the others hold words or tags). */
const ID_LISTS: ReadonlySet<ListName> = new Set([
  'mutedUsers',
  'blocked',
  'privateFollows',
  'inboxAllow',
  'approvedFollowers',
]);

export const LIST_OF_MUTE: Readonly<Record<MuteKind, ListName>> = {
  user: 'mutedUsers',
  word: 'mutedWords',
  tag: 'mutedTags',
};

const DRAFT_ID = /^[A-Za-z0-9:_-]{1,80}$/;
const MAX_WORD_CHARS = 100;
/** A draft may run past a post's limit while being written (the composer says so), but not without bound. */
const MAX_DRAFT_CHARS = LIMITS.postBodyChars * 4;

type DraftMap = Y.Map<unknown>;

function drafts(doc: Y.Doc): Y.Map<DraftMap> {
  return doc.getMap('drafts');
}

function viewOf(id: string, draft: DraftMap): DraftView | undefined {
  const text = draft.get('text');
  if (!(text instanceof Y.Text)) return undefined; // a half-arrived or foreign entry: not a draft
  const replyTo = draft.get('replyTo');
  const quoteOf = draft.get('quoteOf');
  const updatedAt = draft.get('updatedAt');
  return {
    id,
    body: text.toString(),
    updatedAt: typeof updatedAt === 'number' ? updatedAt : 0,
    ...(isObjectId(replyTo) && { replyTo }),
    ...(isObjectId(quoteOf) && { quoteOf }),
  };
}

/** Newest change first (ties by id, so every device lists the same order). */
export function draftsOf(doc: Y.Doc): DraftView[] {
  const views: DraftView[] = [];
  drafts(doc).forEach((draft, id) => {
    const view = draft instanceof Y.Map ? viewOf(id, draft) : undefined;
    if (view) views.push(view);
  });
  return views.sort((a, b) => b.updatedAt - a.updatedAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

export function findDraft(doc: Y.Doc, id: string): DraftView | undefined {
  const draft = drafts(doc).get(id);
  return draft instanceof Y.Map ? viewOf(id, draft) : undefined;
}

/** @throws CoreError InvalidField (id, replyTo, quoteOf), TooLarge (body) */
export function checkDraft(input: DraftInput): void {
  if (typeof input.id !== 'string' || !DRAFT_ID.test(input.id))
    throw new CoreError('InvalidField', 'a draft id is 1 to 80 letters, digits, ":", "_" or "-"', { field: 'id' });
  if (typeof input.body !== 'string' || !input.body.isWellFormed())
    throw new CoreError('InvalidField', 'a draft body is text', { field: 'body' });
  if (input.body.length > MAX_DRAFT_CHARS)
    throw new CoreError('TooLarge', `a draft holds at most ${MAX_DRAFT_CHARS} characters`);
  for (const field of ['replyTo', 'quoteOf'] as const) {
    if (input[field] !== undefined && !isObjectId(input[field]))
      throw new CoreError('InvalidField', `${field} is a post id`, { field });
  }
}

/** Creates or updates the draft (call inside a transaction). @throws as checkDraft */
export function writeDraft(doc: Y.Doc, input: DraftInput, now: number): void {
  checkDraft(input);
  let draft = drafts(doc).get(input.id);
  if (!(draft instanceof Y.Map) || !(draft.get('text') instanceof Y.Text)) {
    draft = new Y.Map<unknown>();
    drafts(doc).set(input.id, draft);
    draft.set('text', new Y.Text());
  }
  spliceText(draft.get('text') as Y.Text, input.body);
  draft.set('updatedAt', now);
  for (const field of ['replyTo', 'quoteOf'] as const) {
    const value: ObjectId | undefined = input[field];
    if (value !== undefined && draft.get(field) !== value) draft.set(field, value);
  }
}

export function removeDraft(doc: Y.Doc, id: string): void {
  if (drafts(doc).has(id)) drafts(doc).delete(id);
}

/** Replaces the text by the one splice between the common prefix and suffix. */
export function spliceText(text: Y.Text, next: string): void {
  const current = text.toString();
  if (current === next) return;
  let start = 0;
  const shorter = Math.min(current.length, next.length);
  while (start < shorter && current.charCodeAt(start) === next.charCodeAt(start)) start++;
  let end = 0;
  while (
    end < shorter - start &&
    current.charCodeAt(current.length - 1 - end) === next.charCodeAt(next.length - 1 - end)
  )
    end++;
  // Never split a surrogate pair: Yjs counts UTF-16 units, and half a pair is not text.
  if (start > 0 && isHighSurrogate(current.charCodeAt(start - 1))) start--;
  if (end > 0 && isLowSurrogate(current.charCodeAt(current.length - end))) end--;
  const removed = current.length - start - end;
  if (removed > 0) text.delete(start, removed);
  const inserted = next.slice(start, next.length - end);
  if (inserted) text.insert(start, inserted);
}

const isHighSurrogate = (c: number) => c >= 0xd800 && c <= 0xdbff;
const isLowSurrogate = (c: number) => c >= 0xdc00 && c <= 0xdfff;

/**
 * The canonical form of a list value.
 * @throws CoreError InvalidField
 */
export function normalizeEntry(list: ListName, value: string): string {
  if (typeof value !== 'string') throw new CoreError('InvalidField', 'expected text', { field: 'value' });
  if (ID_LISTS.has(list)) {
    if (!isPseudonymId(value)) throw new CoreError('InvalidField', 'expected a pseudonym id', { field: 'value' });
    return value;
  }
  const text = (list === 'mutedTags' ? value.trim().replace(/^#+/, '') : value.trim())
    .toLowerCase()
    .replace(/\s+/g, ' ');
  if (text.length === 0 || text.length > MAX_WORD_CHARS || !text.isWellFormed()) {
    throw new CoreError(
      'InvalidField',
      `a muted ${list === 'mutedTags' ? 'tag' : 'word'} is 1 to ${MAX_WORD_CHARS} characters`,
      { field: 'value' },
    );
  }
  return text;
}

/** Turns one entry on or off (call inside a transaction). @throws as normalizeEntry */
export function setEntry(doc: Y.Doc, list: ListName, value: string, on: boolean, now: number): void {
  const key = normalizeEntry(list, value);
  const map = doc.getMap<number>(list);
  if (on && !map.has(key)) map.set(key, now);
  if (!on && map.has(key)) map.delete(key);
}

/** @throws CoreError InvalidField */
export function setLensValue(doc: Y.Doc, name: string, value: LensValue | undefined): void {
  if (typeof name !== 'string' || !/^[a-z][a-z0-9_.-]{0,63}$/.test(name))
    throw new CoreError('InvalidField', 'a lens setting name is 1 to 64 lowercase letters, digits, "_", "." or "-"', {
      field: 'name',
    });
  const ok =
    value === undefined ||
    typeof value === 'boolean' ||
    (typeof value === 'number' && Number.isFinite(value)) ||
    (typeof value === 'string' && value.length <= 1024);
  if (!ok)
    throw new CoreError('InvalidField', 'a lens setting is a boolean, a finite number or a short text', {
      field: 'value',
    });
  const lens = doc.getMap<LensValue>('lens');
  if (value === undefined) lens.delete(name);
  else if (lens.get(name) !== value) lens.set(name, value);
}

/** @throws CoreError InvalidField */
export function setInboxModeIn(doc: Y.Doc, mode: InboxMode): void {
  if (!(PERSON_INBOX_MODES as readonly string[]).includes(mode))
    throw new CoreError('InvalidField', `an inbox mode is one of ${PERSON_INBOX_MODES.join(', ')}`, { field: 'mode' });
  const inbox = doc.getMap<unknown>('inbox');
  if (inbox.get('mode') !== mode) inbox.set('mode', mode);
}

function inboxModeOf(doc: Y.Doc): InboxMode {
  const mode = doc.getMap<unknown>('inbox').get('mode');
  return (PERSON_INBOX_MODES as readonly unknown[]).includes(mode) ? (mode as InboxMode) : DEFAULT_INBOX_MODE;
}

export function setListedIn(doc: Y.Doc, listed: boolean): void {
  const directory = doc.getMap<unknown>('directory');
  if (directory.get('listed') !== listed) directory.set('listed', listed);
}

export function setSearchableIn(doc: Y.Doc, searchable: boolean): void {
  const directory = doc.getMap<unknown>('directory');
  if (directory.get('searchable') !== searchable) directory.set('searchable', searchable);
}

function listingOf(doc: Y.Doc): PrivateSettings['listing'] {
  const listed = doc.getMap<unknown>('directory').get('listed');
  return listed === true ? 'listed' : listed === false ? 'unlisted' : 'never';
}

export function settingsOf(doc: Y.Doc): PrivateSettings {
  const list = <T extends string>(name: ListName) => {
    const entries: ListedEntry<T>[] = [];
    doc.getMap<unknown>(name).forEach((at, value) => {
      entries.push({ value: value as T, at: typeof at === 'number' ? at : 0 });
    });
    return entries.sort((a, b) => b.at - a.at || (a.value < b.value ? -1 : 1));
  };
  const lens: Record<string, LensValue> = {};
  doc.getMap<unknown>('lens').forEach((v, k) => {
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') lens[k] = v;
  });
  return {
    mutedUsers: list<PseudonymId>('mutedUsers').filter((e) => isPseudonymId(e.value)),
    mutedWords: list('mutedWords'),
    mutedTags: list('mutedTags'),
    blocked: list<PseudonymId>('blocked').filter((e) => isPseudonymId(e.value)),
    privateFollows: list<PseudonymId>('privateFollows').filter((e) => isPseudonymId(e.value)),
    lens,
    inboxMode: inboxModeOf(doc),
    inboxAllow: list<PseudonymId>('inboxAllow').filter((e) => isPseudonymId(e.value)),
    approvedFollowers: list<PseudonymId>('approvedFollowers').filter((e) => isPseudonymId(e.value)),
    listing: listingOf(doc),
    searchable: doc.getMap<unknown>('directory').get('searchable') === true,
  };
}
