/**
 * Retirement against a real hub: a pseudonym's signed retirement releases its
 * handle (WebFinger finds none; another may claim the name), the retired key
 * claims nothing again, also after a restart; bad retirements are refused by
 * name and change nothing.
 */
import { afterEach, beforeEach, expect, test } from 'vitest';
import { LIMITS } from '../../protocol/limits.ts';
import { buildRetirement } from '../../protocol/retirement.ts';
import { buildSignedUnchecked } from '../../protocol/signed.ts';
import {
  type TestHub,
  alice,
  aliceKey,
  bob,
  bobKey,
  errorName,
  put,
  signedClaim,
  startTestHub,
} from '../testing/hub-fixture.ts';

let t: TestHub;
beforeEach(async () => {
  t = await startTestHub();
});
afterEach(() => t.stop());

const claimAs = (key: typeof aliceKey, name: string) =>
  put(`${t.url}/v1/handles/${name}`, signedClaim(key, name, t.host).bytes);
const retire = (author: string, body: Uint8Array | string) => put(`${t.url}/v1/retirements/${author}`, body);
const finger = (name: string) =>
  fetch(`${t.url}/.well-known/webfinger?resource=${encodeURIComponent(`acct:${name}@${t.host}`)}`);

test('a retirement releases the handle: WebFinger finds none, another may claim it, the retired key none', async () => {
  expect((await claimAs(aliceKey, 'alice')).status).toBe(201);
  expect((await finger('alice')).status).toBe(200);
  expect((await retire(alice, buildRetirement(aliceKey, { ts: Date.now() }).bytes)).status).toBe(201);
  expect(await errorName(await finger('alice'))).toBe('404 NotFound');
  expect(await errorName(await claimAs(aliceKey, 'alice'))).toBe('410 Retired');
  expect(await errorName(await claimAs(aliceKey, 'another'))).toBe('410 Retired');
  expect((await claimAs(bobKey, 'alice')).status).toBe(201);
  const jrd = (await (await finger('alice')).json()) as { properties: Record<string, string> };
  expect(Object.values(jrd.properties)).toContain(bob);
  expect((await retire(alice, buildRetirement(aliceKey, { ts: Date.now() }).bytes)).status).toBe(200);
});

test('without a retirement the handle stays (the control), and a retirement holds across a restart', async () => {
  await claimAs(aliceKey, 'alice');
  expect(await errorName(await claimAs(bobKey, 'alice'))).toBe('409 HandleTaken');
  await retire(alice, buildRetirement(aliceKey, { ts: Date.now() }).bytes);
  t = await t.restart();
  expect(await errorName(await claimAs(aliceKey, 'alice'))).toBe('410 Retired');
  expect((await claimAs(bobKey, 'alice')).status).toBe(201);
});

test('refuses each bad retirement by name, leaving the handle held', async () => {
  await claimAs(aliceKey, 'alice');
  const good = buildRetirement(aliceKey, { ts: Date.now() });
  const cases: [string, string, Uint8Array | string][] = [
    ['400 MalformedId', 'nobody', good.bytes],
    ['400 DecodeError', alice, 'not a retirement'],
    ['403 WrongAuthor', bob, good.bytes],
    ['403 BadSignature', alice, buildSignedUnchecked({ ...good.signed.fields }, bobKey)],
    ['400 FutureTimestamp', alice, buildRetirement(aliceKey, { ts: Date.now() + LIMITS.futureSkewMs + 60_000 }).bytes],
  ];
  const got: string[] = [];
  for (const [, author, body] of cases) got.push(await errorName(await retire(author, body)));
  expect(got).toEqual(cases.map(([name]) => name));
  expect((await finger('alice')).status).toBe(200);
});
