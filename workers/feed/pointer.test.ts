/**
 * findCurrentHubs over fake hubs (each a head and the blobs it serves): a pointer is followed hop by hop, a hub
 * that does not answer (or answers with an error) ends the chain at the last signed word, and a pointer its author
 * did not sign is refused by name. move-hub-strangers.test.ts runs it on real hubs.
 */
import { expect, test } from 'vitest';
import { buildCommit } from '../../src/protocol/commits.ts';
import { type HeadJson, buildHead, headToJson } from '../../src/protocol/heads.ts';
import type { CommitId, ObjectId, PseudonymId } from '../../src/protocol/ids.ts';
import { type SecretKey, pickVerify, pseudonymOf, secretKeyFrom } from '../../src/protocol/keys.ts';
import { buildSignedUnchecked } from '../../src/protocol/signed.ts';
import { hashBytes } from '../../src/protocol/ids.ts';
import { HubError } from '../../src/hub-client/errors.ts';
import type { HubClient } from '../net/hub-client.ts';
import { findCurrentHubs } from './pointer.ts';

const key = secretKeyFrom(new Uint8Array(32).fill(1));
const author = pseudonymOf(key);
const [A, C, D] = ['https://a.example', 'https://c.example', 'https://d.example'];

/** What one fake hub serves for `author`: a head and blobs, or an error for every request. */
type Served = { head: HeadJson; blobs: Map<ObjectId, Uint8Array> } | { error: Error };

function hubs(served: Record<string, Served>, asked: string[] = []) {
  return (origin: string) =>
    ({
      async getHeads(authors: readonly PseudonymId[]) {
        asked.push(origin);
        const s = served[origin] ?? { error: new HubError('Offline', `${origin} is down`) };
        if ('error' in s) throw s.error;
        return authors.includes(author) ? { [author]: s.head } : {};
      },
      async batchBlobs(ids: readonly ObjectId[]) {
        const s = served[origin];
        if (!s || 'error' in s) throw new HubError('Offline', `${origin} is down`);
        return ids.filter((id) => s.blobs.has(id)).map((id) => ({ id, bytes: s.blobs.get(id)! }));
      },
    }) as unknown as HubClient;
}

/** A hub whose head is one commit of `author` at `seq`: a pointer naming `to`, or a post-free profile change. */
function feedAt(seq: number, to?: readonly string[], signer: SecretKey = key): Served {
  const ops = [to ? { type: 'profile', hubs: to } : { type: 'profile', name: `Alice ${seq}` }];
  const fields = { type: 'commit', author, parents: [] as CommitId[], seq: 1, ts: 1_000 + seq, ops };
  const bytes =
    signer === key
      ? buildCommit(key, { parents: [], seq: 1, ts: fields.ts, ops: fields.ops as never }).bytes
      : buildSignedUnchecked(fields, signer);
  const id = hashBytes(bytes) as CommitId;
  return { head: headToJson(buildHead(key, { heads: [id], seq, ts: fields.ts })), blobs: new Map([[id, bytes]]) };
}

const deps = async (served: Record<string, Served>) => ({ hub: hubs(served), verify: await pickVerify() });

test('a hub whose head is no pointer, or that holds none of the feed, is where the feed lives', async () => {
  expect(await findCurrentHubs(await deps({ [A]: feedAt(3) }), author, A)).toEqual([A]);
  const none = { hub: () => ({ getHeads: async () => ({}) }) as unknown as HubClient, verify: await pickVerify() };
  expect(await findCurrentHubs(none, author, A)).toEqual([A]);
});

test('a pointer is followed to the new home, and a second move through both pointers', async () => {
  expect(await findCurrentHubs(await deps({ [A]: feedAt(3, [C, A]), [C]: feedAt(4) }), author, A)).toEqual([C, A]);
  const twice = { [A]: feedAt(3, [C]), [C]: feedAt(5, [D]), [D]: feedAt(6) };
  expect(await findCurrentHubs(await deps(twice), author, A)).toEqual([D]);
});

test('a hub that does not answer, or answers with an error, ends the chain at the last signed word', async () => {
  expect(await findCurrentHubs(await deps({ [A]: feedAt(3, [C]) }), author, A)).toEqual([C]);
  const busy = { [A]: { error: new HubError('RateLimited', 'slow down') } };
  expect(await findCurrentHubs(await deps(busy), author, A)).toEqual([A]);
});

test('pointers that lead in a circle stop where they began, each hub asked once', async () => {
  const asked: string[] = [];
  const circle = { hub: hubs({ [A]: feedAt(3, [C]), [C]: feedAt(4, [A]) }, asked), verify: await pickVerify() };
  expect(await findCurrentHubs(circle, author, A)).toEqual([A]);
  expect(asked).toEqual([A, C]);
});

test('a pointer commit its author did not sign is refused with BadSignature, and not followed', async () => {
  const mallory = secretKeyFrom(new Uint8Array(32).fill(9));
  const forged = { [A]: feedAt(3, [D], mallory) };
  await expect(findCurrentHubs(await deps(forged), author, A)).rejects.toMatchObject({ name: 'BadSignature' });
});
