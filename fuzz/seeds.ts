/**
 * Valid seeds for every fuzz target, built with the project's own builders
 * from fixed keys and fixed randomness, so a run with a given FUZZ_SEED sees
 * the same inputs on every machine.
 */
import { encodeBlobBatch } from '../src/protocol/batch.ts';
import { fromHex, toHex, utf8 } from '../src/protocol/bytes.ts';
import { encodeCanonical } from '../src/protocol/canonical.ts';
import { buildCommit } from '../src/protocol/commits.ts';
import { buildDelegation } from '../src/protocol/agents.ts';
import { dmPublicKeyOf, sealDm } from '../src/protocol/dm.ts';
import { buildFeedLog } from '../src/protocol/feed-log.ts';
import { buildHandleClaim } from '../src/protocol/handles.ts';
import { buildHead, headToJson } from '../src/protocol/heads.ts';
import type { CommitId, ObjectId } from '../src/protocol/ids.ts';
import { pseudonymOf } from '../src/protocol/keys.ts';
import { buildNotice } from '../src/protocol/notices.ts';
import { buildPost } from '../src/protocol/objects.ts';
import { derivePrivateKeys, encodePrivateIndex, sealPrivate } from '../src/protocol/private-seal.ts';
import { AUTH_HEADERS, signRequest } from '../src/protocol/request-auth.ts';
import { WEBFINGER_CLAIM, WEBFINGER_PSEUDONYM } from '../src/protocol/routes.ts';
import { type BackupContents, encodeBackup } from '../workers/keys/backup.ts';

export const NOW = 1_767_225_600_000;
export const ALICE = fromHex('01'.repeat(32));
export const BOB = fromHex('02'.repeat(32));
export const AGENT = fromHex('03'.repeat(32));
export const HOST = 'hub.example:8080';

const id = (byte: string) => byte.repeat(32) as ObjectId;
const [A, B, C, D] = [id('ab'), id('cd'), id('0f'), id('99')] as CommitId[];

const post = buildPost({
  author: pseudonymOf(ALICE),
  body: 'hello @bob@hub.example \u{1F600} é',
  ts: NOW,
  tags: ['intro', 'ünï'],
  media: [A!],
  reply_to: B!,
});
const plainPost = buildPost({ author: pseudonymOf(BOB), body: 'x', ts: 0 });

export const commits = [
  buildCommit(ALICE, { parents: [], seq: 1, ts: NOW, ops: [{ type: 'post', object: post.id }] }),
  buildCommit(ALICE, {
    parents: [A!],
    seq: 2,
    ts: NOW + 1,
    ops: [
      { type: 'follow', target: pseudonymOf(BOB), handle: 'bob@hub.example', hubs: ['https://hub.example'] },
      { type: 'react', target: B!, emoji: '\u2764\uFE0F' },
    ],
  }),
  buildCommit(ALICE, { parents: [A!, B!], seq: 7, ts: NOW, ops: [] }),
  buildCommit(ALICE, {
    parents: [C!],
    seq: 3,
    ts: NOW,
    ops: [
      {
        type: 'profile',
        name: 'Alice',
        bio: 'b\u202eio',
        avatar: D!,
        links: ['https://a.example/x'],
        dm_key: dmPublicKeyOf(ALICE),
      },
      { type: 'vote', target: A!, value: -1 },
      { type: 'repost', object: A!, commit: B! },
      { type: 'edit', target: A!, object: B! },
      { type: 'delete', target: C! },
      { type: 'unfollow', target: pseudonymOf(BOB) },
      { type: 'unreact', target: A!, emoji: '\u{1F44D}' },
    ],
  }),
  buildCommit(AGENT, {
    parents: [],
    seq: 1,
    ts: NOW,
    ops: [{ type: 'post', object: plainPost.id }],
    agent: {
      id: pseudonymOf(AGENT),
      model: 'model-1',
      delegation: buildDelegation(ALICE, { agent: pseudonymOf(AGENT), scope: ['post', 'react'], expires: NOW + 1000 }),
    },
  }),
  buildCommit(BOB, {
    parents: [],
    seq: 1,
    ts: 0,
    ops: [{ type: 'post', object: plainPost.id }],
    agent: { id: pseudonymOf(AGENT), model: 'm' },
  }),
];

export const heads = [
  buildHead(ALICE, { heads: [A!], seq: 1, ts: NOW }),
  buildHead(BOB, { heads: [A!, B!, C!], seq: 2 ** 48, ts: NOW, log: D! }),
];

export const claims = [
  buildHandleClaim(ALICE, { name: 'alice', host: HOST, ts: NOW }),
  buildHandleClaim(BOB, { name: 'b.o_b-1', host: '[::1]:80', ts: 0 }),
];

export const notices = [
  buildNotice(ALICE, { to: pseudonymOf(BOB), kind: 'reply', ids: [A!, B!], ts: NOW }),
  buildNotice(BOB, { to: pseudonymOf(ALICE), kind: 'dm', ids: [C!], ts: NOW }),
];

export const feedLogs = [
  buildFeedLog({ author: pseudonymOf(ALICE), commits: [A!, B!, C!] }),
  buildFeedLog({ author: pseudonymOf(BOB), commits: [], prev: D! }),
];

export const posts = [post, plainPost];

export const blobBatches = [
  encodeBlobBatch(commits.slice(0, 3).map((c) => ({ id: c.id, bytes: c.bytes }))),
  encodeBlobBatch([{ id: A!, bytes: new Uint8Array() }]),
  new Uint8Array(),
];

export const privateKeys = derivePrivateKeys(ALICE);
const nonce = (byte: number) => new Uint8Array(24).fill(byte);
export const privateIndexes = [encodePrivateIndex([A!, B!]), encodePrivateIndex([])];
export const sealedPrivate = [
  sealPrivate(privateKeys.aeadKey, nonce(1), privateIndexes[0]!),
  sealPrivate(privateKeys.aeadKey, nonce(2), utf8('{"drafts":["x"]}')),
  sealPrivate(privateKeys.aeadKey, nonce(3), new Uint8Array()),
];

export const dms = [
  sealDm(
    ALICE,
    {
      to: pseudonymOf(BOB),
      toKey: dmPublicKeyOf(BOB),
      body: 'hi bob \u{1F600}',
      ts: NOW,
      hubs: ['https://hub.example'],
    },
    { ephemeral: new Uint8Array(32).fill(7), nonce: nonce(8) },
  ),
  sealDm(
    ALICE,
    { to: pseudonymOf(BOB), toKey: dmPublicKeyOf(BOB), body: 'é'.repeat(50), ts: 0, hubs: [] },
    { ephemeral: new Uint8Array(32).fill(9), nonce: nonce(10) },
  ),
];

/**
 * A signed request as text: `METHOD PATH`, header lines `name: value`, an
 * empty line, then the body (what checkSignedRequest reads, in the order a
 * hub receives it).
 */
export function requestText(
  method: string,
  path: string,
  body: Uint8Array,
  ts: number,
  nonceHex: string,
  extra: Record<string, string> = {},
): Uint8Array {
  const headers = {
    host: HOST,
    ...signRequest(ALICE, { method, path, body, ts, host: HOST, nonce: nonceHex }),
    ...extra,
  };
  const lines = [`${method} ${path}`, ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`), '', ''];
  const head = utf8(lines.join('\n'));
  const out = new Uint8Array(head.length + body.length);
  out.set(head);
  out.set(body, head.length);
  return out;
}

export const requests = [
  requestText('PUT', `/v1/blobs/${post.id}`, post.bytes, NOW, '0a'.repeat(16)),
  requestText('GET', `/v1/inbox/${pseudonymOf(ALICE)}?cursor=3`, new Uint8Array(), NOW - 1000, 'ff'.repeat(16)),
  (() => {
    const text = requestText('POST', '/v1/x', utf8('{}'), NOW, '01'.repeat(16));
    // Without murmur-host: the Host header names the hub.
    return utf8(new TextDecoder().decode(text).replace(new RegExp(`^${AUTH_HEADERS.host}: .*\n`, 'm'), ''));
  })(),
];

export const backupContents: BackupContents[] = [
  {
    id: pseudonymOf(ALICE),
    secretKey: ALICE,
    name: 'Alice \u{1F600}',
    handle: 'alice@hub.example',
    hubs: ['https://hub.example'],
    createdAt: NOW,
  },
  { id: pseudonymOf(BOB), secretKey: BOB, name: '', hubs: [], createdAt: 0 },
];
export const BACKUP_PASSPHRASE = 'correct horse battery staple';

/** Backups under the KDF the caller has in place (the fuzz test replaces scrypt with a cheap stand-in). */
export function backups(): Promise<Uint8Array[]> {
  return Promise.all(
    backupContents.map((c, i) =>
      encodeBackup(
        c,
        BACKUP_PASSPHRASE,
        { salt: new Uint8Array(16).fill(i + 1), nonce: nonce(i + 20) },
        { N: 2 ** 14, r: 8, p: 1 },
      ),
    ),
  );
}

const headJson = JSON.stringify(headToJson(heads[0]!));

/** Event streams as a hub sends them (src/hub/http/sse.ts): heads, pings, ids, a retry. */
export const eventStreams = [
  utf8(`retry: 1000\n\nevent: head\nid: 1\ndata: ${headJson}\n\n:ping\n\n`),
  utf8(`event: head\r\ndata: ${headJson}\r\nid: 2\r\n\r\nevent: head\rdata: {}\r\rdata: a\ndata: b\n\n`),
  utf8('data\n\nevent\nid\nretry\n: comment\nfoo: bar\n\n'),
];

/** A hub's change page (GET /v1/changes). */
export const changePages = [
  utf8(
    JSON.stringify({
      changes: [{ seq: 1, author: pseudonymOf(ALICE), head: headToJson(heads[0]!) }],
      next: 1,
      last: 1,
    }),
  ),
  utf8('{"changes":[],"next":0,"last":0}'),
];

/** A hub's answer to the hub client: `STATUS` on the first line, then the body. */
export function answerText(status: number, body: string | Uint8Array): Uint8Array {
  const head = utf8(`${status}\n`);
  const tail = typeof body === 'string' ? utf8(body) : body;
  const out = new Uint8Array(head.length + tail.length);
  out.set(head);
  out.set(tail, head.length);
  return out;
}

export const hubAnswers = [
  answerText(200, JSON.stringify({ missing: [A, B] })),
  answerText(200, JSON.stringify({ heads: { [pseudonymOf(ALICE)]: headToJson(heads[0]!) } })),
  answerText(200, JSON.stringify({ notices: [{ ...notices[0]!.notice, sig: notices[0]!.sig }], next: '5' })),
  answerText(200, JSON.stringify({ ok: true, seq: 3 })),
  answerText(
    200,
    JSON.stringify({ name: 'hub', version: '1', limits: { blobBytes: 1, batchIds: 2, streamAuthors: 3 } }),
  ),
  answerText(
    200,
    JSON.stringify({ subject: 'acct:alice@hub.example', links: [{ rel: 'self', href: 'https://hub.example' }] }),
  ),
  answerText(200, blobBatches[0]!),
  answerText(409, JSON.stringify({ error: 'StaleHead', message: 'older' })),
  answerText(503, '<html>busy</html>'),
];

/** Notices as JSON values, as a hub's inbox page lists them (inbox-pull.ts encodes each back to bytes). */
export const noticeJsons = notices.map((n) => utf8(JSON.stringify({ ...n.notice, sig: n.sig })));

/** WebFinger answers for alice@HOST, as a hub gives them (routes/handles.ts). */
export const webfingerAnswers = [
  answerText(
    200,
    JSON.stringify({
      subject: `acct:alice@${HOST}`,
      properties: {
        [WEBFINGER_PSEUDONYM]: pseudonymOf(ALICE),
        [WEBFINGER_CLAIM]: new TextDecoder().decode(claims[0]!.bytes),
      },
      links: [{ rel: 'self', type: 'application/json', href: `https://${HOST}/` }],
    }),
  ),
  answerText(404, JSON.stringify({ error: 'NotFound', message: 'no such handle' })),
];

/** `{ ids }` bodies as a client sends them to /v1/blobs/missing and /batch, and `?authors=` lists. */
export const idLists = [
  utf8(JSON.stringify({ ids: [A, B, C] })),
  utf8('{"ids":[]}'),
  utf8(`{"ids":["${A}","${A}"]}`),
  utf8(`${A},${B},,${A}`),
  utf8(A!),
];

/** A mirror's cursor files (src/hub/store/files/mirror-cursor.ts writes them). */
export const cursorFiles = [
  utf8(JSON.stringify({ peer: 'https://peer.example', cursor: 42 })),
  utf8('{"peer":"https://peer.example","cursor":0}'),
];

export const canonicalValues = [
  ...commits.slice(0, 2).map((c) => c.bytes),
  heads[0]!.bytes,
  post.bytes,
  encodeCanonical({
    a: [1, -2, 'é\u{1F600}', true, false, [], {}],
    '\u007f': { '10': 'x', '9': '\n\u2028"\\' },
    z: 9007199254740991,
  }),
  encodeCanonical('plain'),
  encodeCanonical(0),
];

export { toHex };

/** The hub's own data files as its file store writes them (src/hub/store/files/log-formats.ts reads them). */
export const hubLogs = {
  heads: [utf8(heads.map((h, i) => `${i + 1} ${new TextDecoder().decode(h.bytes)}\n`).join('')), utf8('')],
  inbox: [utf8(notices.map((n, i) => `${2 * i + 1} ${new TextDecoder().decode(n.bytes)}\n`).join(''))],
  quota: [utf8(`${pseudonymOf(ALICE)} ${A} 1024\n${pseudonymOf(BOB)} ${B} 0\n`)],
  address: [utf8('198.51.100.7 4096\n2001:db8:0:1::/64 100\n198.51.100.7 -96\n')],
  verified: [utf8(`${A} ${B}\n${C}\n`)],
  handles: claims.map((c) => c.bytes),
};
