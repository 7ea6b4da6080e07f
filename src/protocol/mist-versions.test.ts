/**
 * A feed's mists by id (mist-versions.ts): versions grouped under the id their first file gives, oldest first
 * by stamp whatever order they come in; an unmist hides every version; a sealed version shows only to the key
 * that opens it.
 */
import { expect, test } from 'vitest';
import { sealUnderKey } from './audience.ts';
import { utf8 } from './bytes.ts';
import { emptyFeedState, type FeedState, type Stamp } from './feed-state.ts';
import { type CommitId, type ObjectId, hashBytes } from './ids.ts';
import { pseudonymOf, secretKeyFrom } from './keys.ts';
import { mistObjectsOf, mistVersionsOf } from './mist-versions.ts';
import { type MistObject, buildMist, mistIdOf } from './mists.ts';

const author = pseudonymOf(secretKeyFrom(new Uint8Array(32).fill(7)));
const first = hashBytes(utf8('print(1)\n'));
const second = hashBytes(utf8('print(2)\n'));
const other = hashBytes(utf8('other\n'));

const version = (fields: Partial<MistObject>) =>
  buildMist({ author, name: 'a.py', content: first, size: 9, ts: 1, artifact: 'code', ...fields });
const stamp = (ts: number): Stamp => [ts, `${'c'.repeat(63)}${ts}` as CommitId, 0];

/** A state holding `versions` (object id, sealed, stamp) and the objects' bytes. */
function feed(versions: readonly { id: ObjectId; sealed?: boolean; ts: number }[], unmisted: string[] = []) {
  const state: FeedState = emptyFeedState();
  for (const v of versions) state.mists.set(v.id, { value: { sealed: v.sealed ?? false }, stamp: stamp(v.ts) });
  for (const id of unmisted) state.unmisted.add(id as never);
  return state;
}

test('versions group under the first file’s id, oldest first, whatever order the state lists them in', () => {
  const v1 = version({ ts: 1 });
  const v2 = version({ content: second, origin: first, ts: 2, title: 'two' });
  const lone = version({ content: other, size: 6, name: 'b.py' });
  const state = feed([
    { id: v2.id, ts: 20 },
    { id: lone.id, ts: 15 },
    { id: v1.id, ts: 10 },
  ]);
  const objects = new Map([v1, v2, lone].map((v) => [v.id, v.bytes]));
  const mists = mistVersionsOf(author, state, objects);
  expect([...mists.keys()].sort()).toEqual([mistIdOf(author, first), mistIdOf(author, other)].sort());
  expect(mists.get(mistIdOf(author, first))!.versions.map((v) => v.object)).toEqual([v1.id, v2.id]);
  expect(mists.get(mistIdOf(author, first))!.versions.at(-1)!.value.title).toBe('two');
  // A version whose bytes were not given is left out, not guessed.
  expect(
    mistVersionsOf(author, state, new Map([[v1.id, v1.bytes]])).get(mistIdOf(author, first))!.versions,
  ).toHaveLength(1);
});

test('an unmist hides every version of its id, and only those', () => {
  const v1 = version({});
  const v2 = version({ content: second, origin: first, ts: 2 });
  const lone = version({ content: other, size: 6 });
  const state = feed(
    [
      { id: v1.id, ts: 1 },
      { id: v2.id, ts: 2 },
      { id: lone.id, ts: 3 },
    ],
    [mistIdOf(author, first)],
  );
  const objects = new Map([v1, v2, lone].map((v) => [v.id, v.bytes]));
  expect([...mistVersionsOf(author, state, objects).keys()]).toEqual([mistIdOf(author, other)]);
});

test('a sealed version shows only with the key that opens it; the public ones never need a key', () => {
  const contentKey = new Uint8Array(32).fill(3);
  const random = (length: number) => new Uint8Array(length).fill(9);
  const secretFile = sealUnderKey(contentKey, utf8('secret\n'), random);
  const hidden = version({ content: hashBytes(secretFile), size: 7, name: 's.py' });
  const sealed = sealUnderKey(contentKey, hidden.bytes, random);
  const sealedId = hashBytes(sealed);
  const open = version({});
  const state = feed([
    { id: sealedId, sealed: true, ts: 1 },
    { id: open.id, ts: 2 },
  ]);
  const objects = new Map([
    [sealedId, sealed],
    [open.id, open.bytes],
  ]);
  expect(mistObjectsOf(state, false)).toEqual([open.id]);
  expect(mistObjectsOf(state, true).sort()).toEqual([sealedId, open.id].sort());
  expect([...mistVersionsOf(author, state, objects).keys()]).toEqual([mistIdOf(author, first)]);
  expect([...mistVersionsOf(author, state, objects, [new Uint8Array(32).fill(4)]).keys()]).toEqual([
    mistIdOf(author, first),
  ]);
  const withKey = mistVersionsOf(author, state, objects, [new Uint8Array(32).fill(4), contentKey]);
  const secret = withKey.get(mistIdOf(author, hashBytes(secretFile)))!;
  expect(secret.versions.map((v) => v.value.name)).toEqual(['s.py']);
  expect(secret.contentKey).toEqual(contentKey);
});
