import { describe, expect, test } from 'vitest';
import { fromHex } from './bytes.ts';
import { ProtocolError } from './errors.ts';
import { LOG_SEGMENT, appendToFeedLog, decodeFeedLog } from './feed-log.ts';
import { buildHead, decodeHead } from './heads.ts';
import type { CommitId, PseudonymId } from './ids.ts';

const author = 'aa'.repeat(32) as PseudonymId;
const ids = (from: number, n: number) =>
  Array.from({ length: n }, (_, i) => (from + i).toString(16).padStart(64, '0') as CommitId);

describe('feed logs', () => {
  test('append within a segment, then start a new segment pointing back', () => {
    const [first] = appendToFeedLog(author, undefined, ids(0, 3));
    expect(first!.value.commits).toEqual(ids(0, 3));
    const grown = appendToFeedLog(author, first, ids(3, LOG_SEGMENT));
    expect(grown).toHaveLength(2);
    expect(grown[0]!.value.commits).toHaveLength(LOG_SEGMENT);
    expect(grown[1]!.value.prev).toBe(grown[0]!.id);
    expect(grown[1]!.value.commits).toEqual(ids(LOG_SEGMENT, 3));
    expect(decodeFeedLog(grown[1]!.bytes, grown[1]!.id).value).toEqual(grown[1]!.value);
  });

  test('refuse bytes that do not match their id, and oversize segments', () => {
    const [log] = appendToFeedLog(author, undefined, ids(0, 2));
    expect(() => decodeFeedLog(log!.bytes, ids(9, 1)[0])).toThrow(ProtocolError);
    const tooLong = new TextEncoder().encode(JSON.stringify({ author, commits: ids(0, LOG_SEGMENT + 1), type: 'log' }));
    expect(() => decodeFeedLog(tooLong)).toThrow(/more than/);
  });

  test('a head may name its newest log, and the field is signed', () => {
    const key = fromHex('01'.repeat(32));
    const [log] = appendToFeedLog(author, undefined, ids(0, 1));
    const head = buildHead(key, { heads: ids(0, 1), seq: 1, ts: 1, log: log!.id });
    expect(decodeHead(head.bytes).head.log).toBe(log!.id);
    expect(decodeHead(buildHead(key, { heads: ids(0, 1), seq: 1, ts: 1 }).bytes).head.log).toBeUndefined();
  });
});
