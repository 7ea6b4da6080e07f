/**
 * The embed page's read of a mist against a real hub: a feed whose log has more than MAX_SEGMENTS segments is read
 * from the log to its start (the head's seq says how many commits there are), not walked by parents past the 64th.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { MAX_SEGMENTS } from '../../workers/feed/catch-up-plan.ts';
import { type Feed, growFeed, pushFeed } from '../hub/testing/feed-fixture.ts';
import { type TestHub, startTestHub } from '../hub/testing/hub-fixture.ts';
import { utf8 } from '../protocol/bytes.ts';
import { buildCommit } from '../protocol/commits.ts';
import { buildHead } from '../protocol/heads.ts';
import { hashBytes } from '../protocol/ids.ts';
import { nobleVerify, pseudonymOf, secretKeyFrom } from '../protocol/keys.ts';
import { buildMist, mistIdOf } from '../protocol/mists.ts';
import { MAX_BATCH_IDS } from '../protocol/routes.ts';
import { loadMist } from './load-mist.ts';

let t: TestHub;
beforeAll(async () => {
  t = await startTestHub({ limits: { perPseudonym: { perSecond: 0, burst: 1 }, perIp: { perSecond: 0, burst: 1 } } });
});
afterAll(() => t.stop());

test('a mist at the start of a log of more than MAX_SEGMENTS segments loads in a few requests', async () => {
  const key = secretKeyFrom(new Uint8Array(32).fill(31));
  const author = pseudonymOf(key);
  const file = utf8('print(1)\n');
  const content = hashBytes(file);
  const mist = buildMist({ author, name: 'a.py', content, size: file.length, ts: 1, artifact: 'code' });
  const first = buildCommit(key, { parents: [], seq: 1, ts: 1, ops: [{ type: 'mist', object: mist.id }] });
  const start: Feed = {
    key,
    author,
    commits: [first],
    objects: [mist, { id: content, bytes: file }],
    logs: [],
    head: buildHead(key, { heads: [first.id], seq: 1, ts: 1 }),
  };
  // Segments of 4 ids: 75 of them, 11 past MAX_SEGMENTS (64). Walked by parents, those 44 commits (the mist's
  // among them) would cost a request or two each; read from the log, they come in the same few batches.
  const feed = growFeed(key, start, 299, 4);
  expect(feed.logs.length).toBeGreaterThan(MAX_SEGMENTS);
  await pushFeed(t.url, feed);

  const requests: string[] = [];
  const loaded = await loadMist(
    {
      fetch: (input, init) => {
        requests.push(`${init?.method ?? 'GET'} ${new URL(String(input)).pathname}`);
        return fetch(input, init);
      },
      origin: t.url,
      verify: nobleVerify,
      now: Date.now,
    },
    author,
    mistIdOf(author, content),
  );
  expect(loaded).toMatchObject({ kind: 'shown', mist: { name: 'a.py' }, versions: 1, file });
  console.info(`embed load over ${feed.logs.length} segments: ${requests.length} requests`);
  // The head, one request per segment, a few batches of commits and objects, and the file.
  expect(requests.length).toBeLessThanOrEqual(feed.logs.length + Math.ceil(600 / MAX_BATCH_IDS) + 6);
});
