/**
 * Handles resolve through an independent WebFinger client (webfinger.js), as
 * any fediverse software would look them up, and what it returns verifies.
 */
import WebFinger from 'webfinger.js';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { utf8 } from '../protocol/bytes.ts';
import { decodeHandleClaim, verifyHandleClaim } from '../protocol/handles.ts';
import { nobleVerify } from '../protocol/keys.ts';
import { WEBFINGER_CLAIM, WEBFINGER_PSEUDONYM } from '../protocol/routes.ts';
import { type TestHub, alice, aliceKey, put, signedClaim, startTestHub } from './testing/hub-fixture.ts';

let t: TestHub;
beforeEach(async () => {
  t = await startTestHub();
});
afterEach(() => t.stop());

// Plain http and a loopback address are refused by default (TLS only, SSRF guard); a test hub on 127.0.0.1 needs both.
const client = new WebFinger({ tls_only: false, allow_private_addresses: true, request_timeout: 5000 });

test('webfinger.js resolves a claimed handle to its pseudonym, with a claim that verifies', async () => {
  expect((await put(`${t.url}/v1/handles/alice`, signedClaim(aliceKey, 'alice', t.host).bytes)).status).toBe(201);
  const result = await client.lookup(`alice@${t.host}`);
  expect(result.object.subject).toBe(`acct:alice@${t.host}`);
  const properties = result.object.properties as Record<string, string>;
  expect(properties[WEBFINGER_PSEUDONYM]).toBe(alice);
  const claim = decodeHandleClaim(utf8(properties[WEBFINGER_CLAIM]!));
  expect(claim.claim).toMatchObject({ name: 'alice', host: t.host, author: alice });
  expect(await verifyHandleClaim(claim, nobleVerify)).toBe(true);
});

test('webfinger.js reports an unclaimed handle as not found', async () => {
  await expect(client.lookup(`nobody@${t.host}`)).rejects.toThrow(/not found/);
});
