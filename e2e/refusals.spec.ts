import { buildCommit } from '../src/protocol/commits.ts';
import { buildHead } from '../src/protocol/heads.ts';
import { hashBytes } from '../src/protocol/ids.ts';
import { secretKeyFrom } from '../src/protocol/keys.ts';
import { buildPost } from '../src/protocol/objects.ts';
import { newRequestNonce, signRequest } from '../src/protocol/request-auth.ts';
import { aliceAndBob, expect, followHandle, postWithBody, publish, test } from './fixtures.ts';
import { resolveHandle } from './hub-inspect.ts';

test('a blob that does not match its id and a head signed by another key are refused and never shown', async ({
  browser,
  request,
  hubA,
  hubB,
}) => {
  const { alice, bob, bobHandle } = await aliceAndBob(browser, hubA, hubB);
  await followHandle(alice, bobHandle);
  const bobId = await resolveHandle(hubB.url, bobHandle);

  const mallory = secretKeyFrom(new Uint8Array(32).fill(66));
  const putBlob = (id: string, bytes: Uint8Array) =>
    request.put(`${hubB.url}/v1/blobs/${id}`, {
      data: Buffer.from(bytes),
      headers: signRequest(mallory, {
        method: 'PUT',
        path: `/v1/blobs/${id}`,
        body: bytes,
        ts: Date.now(),
        host: new URL(hubB.url).host,
        nonce: newRequestNonce(),
      }),
    });

  // A blob whose bytes do not hash to the id it is put under.
  const honest = new TextEncoder().encode('honest bytes');
  const wrongId = hashBytes(new TextEncoder().encode('other bytes'));
  const blobAnswer = await putBlob(wrongId, honest);
  expect(blobAnswer.status()).toBe(422);
  expect((await blobAnswer.json()).error).toBe('HashMismatch');
  expect((await request.get(`${hubB.url}/v1/blobs/${wrongId}`)).status()).toBe(404);

  // Mallory writes a post in bob's name and signs bob's head with her own key.
  const forgedPost = buildPost({ author: bobId, body: 'forged in bob’s name', ts: Date.now() });
  const malloryCommit = buildCommit(mallory, {
    parents: [],
    seq: 1,
    ts: Date.now(),
    ops: [{ type: 'post', object: forgedPost.id }],
  });
  for (const blob of [forgedPost, malloryCommit]) expect((await putBlob(blob.id, blob.bytes)).ok()).toBe(true);
  const malloryHead = buildHead(mallory, { heads: [malloryCommit.id], seq: 99, ts: Date.now() });
  const forgedBody = new TextDecoder().decode(malloryHead.bytes).replace(malloryHead.head.author, bobId);
  const headAnswer = await request.put(`${hubB.url}/v1/heads/${bobId}`, { data: forgedBody });
  expect(headAnswer.status()).toBe(403);
  expect((await headAnswer.json()).error).toBe('BadSignature');
  const wrongAuthor = await request.put(`${hubB.url}/v1/heads/${bobId}`, { data: Buffer.from(malloryHead.bytes) });
  expect((await wrongAuthor.json()).error).toBe('WrongAuthor');

  // Bob's real post still arrives; the forgery never shows anywhere.
  await publish(bob, 'the real bob');
  await expect(postWithBody(alice, 'the real bob')).toHaveCount(1);
  await expect(alice.getByText('forged in bob’s name')).toHaveCount(0);
  await expect(bob.getByText('forged in bob’s name')).toHaveCount(0);
  const heads = await (await request.get(`${hubB.url}/v1/heads?authors=${bobId}`)).json();
  expect(heads.heads[bobId].seq).toBeLessThan(99);
});
