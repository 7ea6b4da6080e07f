/** Notices: the sender's hubs ride along signed, as a short list of origins; anything else there is refused. */
import { expect, test } from 'vitest';
import { type ObjectId, hashBytes } from './ids.ts';
import { type SecretKey, pseudonymOf } from './keys.ts';
import { buildNotice, decodeNotice } from './notices.ts';
import { buildSigned } from './signed.ts';

const key = new Uint8Array(32).fill(7) as SecretKey;
const to = pseudonymOf(new Uint8Array(32).fill(8) as SecretKey);
const ids: ObjectId[] = [hashBytes(new Uint8Array([1]))];

const nameOf = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return (error as Error).name;
  }
  return undefined;
};

test('hubs round-trip, and a notice without them has none', () => {
  const hubs = ['https://a.example', 'http://127.0.0.1:8080'];
  expect(decodeNotice(buildNotice(key, { to, kind: 'follow', ids, ts: 1, hubs }).bytes).notice.hubs).toEqual(hubs);
  const plain = buildNotice(key, { to, kind: 'follow', ids, ts: 1, hubs: [] });
  expect(plain.notice.hubs).toBeUndefined();
  expect(new TextDecoder().decode(plain.bytes)).not.toContain('hubs');
});

test('hubs that are not a short list of origins are refused by name', () => {
  const signedWith = (hubs: unknown) =>
    buildSigned({ type: 'notice', from: pseudonymOf(key), to, kind: 'follow', ids, ts: 1, hubs } as never, key).bytes;
  for (const hubs of [
    [],
    ['https://a.example/path'],
    ['javascript:alert(1)'],
    'https://a.example',
    ['a', 'b', 'c', 'd', 'e'],
  ])
    expect(nameOf(() => decodeNotice(signedWith(hubs)))).toBe('InvalidField');
  expect(nameOf(() => decodeNotice(signedWith(['https://a', 'https://b', 'https://c', 'https://d'])))).toBeUndefined();
});
