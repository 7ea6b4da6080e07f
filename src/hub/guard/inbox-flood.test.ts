/**
 * A flood of notices from one pseudonym meets the hub's write rate: RateLimited, and nothing past the burst is stored.
 */
import { afterEach, beforeEach, expect, test } from 'vitest';
import type { InboxAnswer } from '../../protocol/routes.ts';
import {
  type TestHub,
  alice,
  aliceKey,
  bobKey,
  errorName,
  signedFetch,
  signedNotice,
  startTestHub,
} from '../testing/hub-fixture.ts';

let t: TestHub;
beforeEach(async () => {
  t = await startTestHub({ limits: { perPseudonym: { perSecond: 0.01, burst: 5 } } });
});
afterEach(() => t.stop());

test("the sixth notice of a burst of 20 is refused with RateLimited; alice's inbox holds the first five", async () => {
  const answers: string[] = [];
  for (let n = 0; n < 20; n++) {
    const res = await fetch(`${t.url}/v1/inbox/${alice}`, {
      method: 'POST',
      body: signedNotice(bobKey, alice, { n }).bytes as BodyInit,
    });
    answers.push(res.status === 201 ? '201' : await errorName(res));
  }
  expect(answers).toEqual([...Array(5).fill('201'), ...Array(15).fill('429 RateLimited')]);
  const inbox = (await (await signedFetch(`${t.url}/v1/inbox/${alice}`, {}, aliceKey)).json()) as InboxAnswer;
  expect(inbox.notices).toHaveLength(5);
});
