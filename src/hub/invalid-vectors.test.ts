/**
 * The protocol's invalid head and handle vectors, sent to a real hub's PUT
 * routes: each is refused with the vector's error and nothing is stored.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { utf8 } from '../protocol/bytes.ts';
import { STATUS_OF } from '../protocol/routes.ts';
import invalid from '../protocol/vectors/invalid.json' with { type: 'json' };
import { type TestHub, errorName, put, startTestHub } from './testing/hub-fixture.ts';

let t: TestHub;
beforeAll(async () => {
  t = await startTestHub();
});
afterAll(() => t.stop());

const cases = invalid.cases.filter((c) => c.kind === 'head' || c.kind === 'handle');

test('there are head and handle vectors to send', () => {
  expect(cases.filter((c) => c.kind === 'head').length).toBeGreaterThan(0);
  expect(cases.filter((c) => c.kind === 'handle').length).toBeGreaterThan(0);
});

for (const c of cases) {
  test(`PUT refuses ${c.kind}: ${c.comment} with ${c.error}`, async () => {
    const record = JSON.parse(c.text) as { author: string; name: string };
    // The route's parameter is what the record names, so the refusal is the record's own fault.
    const url =
      c.kind === 'head'
        ? `${t.url}/v1/heads/${record.author}`
        : `${t.url}/v1/handles/${encodeURIComponent(record.name)}`;
    expect(await errorName(await put(url, utf8(c.text)))).toBe(
      `${STATUS_OF[c.error as keyof typeof STATUS_OF]} ${c.error}`,
    );
    if (c.kind === 'head') {
      expect(await (await fetch(`${t.url}/v1/heads?authors=${record.author}`)).json()).toEqual({ heads: {} });
    } else {
      expect(
        (await fetch(`${t.url}/.well-known/webfinger?resource=acct:${record.name.toLowerCase()}@${t.host}`)).status,
      ).toBe(404);
    }
  });
}
