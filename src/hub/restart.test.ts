/**
 * Durability across restarts: what a hub acknowledged is there when it starts
 * again on the same data folder, and a torn last line in the head log (a
 * crash mid-append, never acknowledged) is cut off rather than breaking the start.
 */
import { appendFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { utf8 } from '../protocol/bytes.ts';
import { headToJson } from '../protocol/heads.ts';
import { hashBytes } from '../protocol/ids.ts';
import { WEBFINGER_PSEUDONYM } from '../protocol/routes.ts';
import {
  type TestHub,
  alice,
  aliceKey,
  bob,
  bobKey,
  errorName,
  put,
  putBlob,
  signedClaim,
  signedHead,
  startTestHub,
} from './testing/hub-fixture.ts';

let t: TestHub;
afterEach(() => t.stop());

test('blobs, heads, handle claims and the change log survive a restart', async () => {
  t = await startTestHub();
  const blob = utf8('kept');
  const a2 = signedHead(aliceKey, 2).head;
  expect((await putBlob(t.url, hashBytes(blob), blob)).status).toBe(201);
  expect((await put(`${t.url}/v1/heads/${alice}`, signedHead(aliceKey, 1).head.bytes)).status).toBe(200);
  expect((await put(`${t.url}/v1/heads/${alice}`, a2.bytes)).status).toBe(200);
  expect((await put(`${t.url}/v1/handles/alice`, signedClaim(aliceKey, 'alice', t.host).bytes)).status).toBe(201);

  t = await t.restart();

  expect(new Uint8Array(await (await fetch(`${t.url}/v1/blobs/${hashBytes(blob)}`)).arrayBuffer())).toEqual(blob);
  expect(await (await fetch(`${t.url}/v1/heads?authors=${alice}`)).json()).toEqual({
    heads: { [alice]: headToJson(a2) },
  });
  expect(await errorName(await put(`${t.url}/v1/heads/${alice}`, signedHead(aliceKey, 2).head.bytes))).toBe(
    '409 StaleHead',
  );
  const jrd = (await (await fetch(`${t.url}/.well-known/webfinger?resource=acct:alice@${t.host}`)).json()) as {
    properties: Record<string, string>;
  };
  expect(jrd.properties[WEBFINGER_PSEUDONYM]).toBe(alice);
  expect(await errorName(await put(`${t.url}/v1/handles/alice`, signedClaim(bobKey, 'alice', t.host).bytes))).toBe(
    '409 HandleTaken',
  );
  // Change numbers carry on from where they were; superseded changes are not listed.
  const b1 = signedHead(bobKey, 1).head;
  await put(`${t.url}/v1/heads/${bob}`, b1.bytes);
  const changes = (await (await fetch(`${t.url}/v1/changes`)).json()) as { changes: { seq: number; author: string }[] };
  expect(changes.changes.map((c) => [c.seq, c.author])).toEqual([
    [2, alice],
    [3, bob],
  ]);
});

test('a torn last line in the head log is cut off at start', async () => {
  t = await startTestHub();
  const a1 = signedHead(aliceKey, 1).head;
  await put(`${t.url}/v1/heads/${alice}`, a1.bytes);
  await t.hub.close();
  const log = join(t.dataDir, 'heads.log');
  await appendFile(log, '2 {"author":"');

  t = await t.restart();
  expect(await (await fetch(`${t.url}/v1/heads?authors=${alice}`)).json()).toEqual({
    heads: { [alice]: headToJson(a1) },
  });
  const a2 = signedHead(aliceKey, 2).head;
  expect((await put(`${t.url}/v1/heads/${alice}`, a2.bytes)).status).toBe(200);
  const lines = (await readFile(log, 'utf8')).split('\n');
  expect(lines.map((l) => l.split(' ')[0])).toEqual(['1', '2', '']);

  t = await t.restart();
  expect(await (await fetch(`${t.url}/v1/heads?authors=${alice}`)).json()).toEqual({
    heads: { [alice]: headToJson(a2) },
  });
});
