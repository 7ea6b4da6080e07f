/** The private document's shape: drafts that merge by character, lists that normalize, refusals by name. */
import { expect, test } from 'vitest';
import * as Y from 'yjs';
import type { ObjectId, PseudonymId } from '../../src/protocol/ids.ts';
import { draftsOf, findDraft, removeDraft, setEntry, setLensValue, settingsOf, spliceText, writeDraft } from './doc.ts';

const post = 'ab'.repeat(32) as ObjectId;
const bob = 'b0'.repeat(32) as PseudonymId;

/** Two replicas that exchange everything so far. */
function exchange(a: Y.Doc, b: Y.Doc): void {
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)));
}

function nameOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    return (error as Error).name;
  }
  return undefined;
}

test('a draft is written, listed newest first, found, and removed', () => {
  const doc = new Y.Doc();
  writeDraft(doc, { id: 'home-1', body: 'first' }, 1000);
  writeDraft(doc, { id: 'reply:x', body: 'an answer', replyTo: post }, 2000);
  expect(draftsOf(doc).map((d) => d.id)).toEqual(['reply:x', 'home-1']);
  expect(findDraft(doc, 'reply:x')).toEqual({ id: 'reply:x', body: 'an answer', updatedAt: 2000, replyTo: post });
  writeDraft(doc, { id: 'home-1', body: 'first, changed' }, 3000);
  expect(draftsOf(doc)[0]).toMatchObject({ id: 'home-1', body: 'first, changed', updatedAt: 3000 });
  removeDraft(doc, 'home-1');
  expect(draftsOf(doc).map((d) => d.id)).toEqual(['reply:x']);
  expect(findDraft(doc, 'home-1')).toBeUndefined();
});

test('two replicas typing in different places of one draft offline both keep their words', () => {
  const a = new Y.Doc();
  const b = new Y.Doc();
  writeDraft(a, { id: 'd', body: 'hello world' }, 1);
  exchange(a, b);
  writeDraft(a, { id: 'd', body: 'hello big world' }, 2);
  writeDraft(b, { id: 'd', body: 'hello world, again' }, 3);
  exchange(a, b);
  expect(findDraft(a, 'd')!.body).toBe('hello big world, again');
  expect(findDraft(b, 'd')!.body).toBe('hello big world, again');
});

test('a change is one splice: only the changed run is touched, surrogate pairs stay whole', () => {
  const doc = new Y.Doc();
  const text = doc.getText('t');
  spliceText(text, 'abc😀def');
  const ops: unknown[] = [];
  text.observe((event) => ops.push(...event.delta));
  doc.transact(() => spliceText(text, 'abc😁def'));
  expect(text.toString()).toBe('abc😁def');
  expect(ops).toEqual([{ retain: 3 }, { delete: 2 }, { insert: '😁' }]);
  spliceText(text, '');
  expect(text.toString()).toBe('');
});

test('lists normalize words and tags, take pseudonym ids only, and turn off again', () => {
  const doc = new Y.Doc();
  setEntry(doc, 'mutedWords', '  Spoiler   Alert ', true, 5);
  setEntry(doc, 'mutedTags', '#Rust', true, 6);
  setEntry(doc, 'blocked', bob, true, 7);
  expect(settingsOf(doc)).toMatchObject({
    mutedWords: [{ value: 'spoiler alert', at: 5 }],
    mutedTags: [{ value: 'rust', at: 6 }],
    blocked: [{ value: bob, at: 7 }],
    mutedUsers: [],
  });
  setEntry(doc, 'mutedTags', 'rust', false, 8);
  expect(settingsOf(doc).mutedTags).toEqual([]);
  expect(nameOf(() => setEntry(doc, 'mutedUsers', 'bob', true, 1))).toBe('InvalidField');
  expect(nameOf(() => setEntry(doc, 'mutedWords', '   ', true, 1))).toBe('InvalidField');
  expect(nameOf(() => setEntry(doc, 'mutedWords', 'x'.repeat(101), true, 1))).toBe('InvalidField');
});

test('approved followers: ids only, merged from two devices, and taken off again', () => {
  const [a, b] = [new Y.Doc(), new Y.Doc()];
  const carol = 'c0'.repeat(32) as PseudonymId;
  setEntry(a, 'approvedFollowers', bob, true, 1);
  setEntry(b, 'approvedFollowers', carol, true, 2);
  exchange(a, b);
  expect(settingsOf(b).approvedFollowers.map((e) => e.value)).toEqual([carol, bob]);
  setEntry(b, 'approvedFollowers', bob, false, 3);
  exchange(a, b);
  expect(settingsOf(a).approvedFollowers.map((e) => e.value)).toEqual([carol]);
  expect(nameOf(() => setEntry(a, 'approvedFollowers', 'bob@hub', true, 4))).toBe('InvalidField');
});

test('lens settings are scalars by name; undefined removes one', () => {
  const doc = new Y.Doc();
  setLensValue(doc, 'default', 'following');
  setLensValue(doc, 'fresh.hours', 24);
  expect(settingsOf(doc).lens).toEqual({ default: 'following', 'fresh.hours': 24 });
  setLensValue(doc, 'default', undefined);
  expect(settingsOf(doc).lens).toEqual({ 'fresh.hours': 24 });
  expect(nameOf(() => setLensValue(doc, 'Bad Name', 1))).toBe('InvalidField');
  expect(nameOf(() => setLensValue(doc, 'x', Number.NaN))).toBe('InvalidField');
});

test('drafts refuse bad ids and post ids, and unbounded bodies', () => {
  const doc = new Y.Doc();
  expect(nameOf(() => writeDraft(doc, { id: 'has space', body: 'x' }, 1))).toBe('InvalidField');
  expect(nameOf(() => writeDraft(doc, { id: 'ok', body: 'x', replyTo: 'nope' as ObjectId }, 1))).toBe('InvalidField');
  expect(nameOf(() => writeDraft(doc, { id: 'ok', body: 'x'.repeat(20_000) }, 1))).toBe('TooLarge');
  expect(draftsOf(doc)).toEqual([]);
});
