/**
 * A damaged data folder: the hub refuses to open it with CorruptStore
 * naming the file and the line, and changes nothing in it (not
 * even the torn tail a crash leaves, which a healthy open cuts off), so an
 * operator can repair the file and lose nothing. The parsers themselves are
 * fuzzed (fuzz/hub-store-targets.ts); this is the store around them.
 */
import { appendFile, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { type CommitId, hashBytes } from '../../../protocol/ids.ts';
import { alice, aliceKey, bob, bobKey, signedClaim, signedHead, signedNotice } from '../../testing/hub-fixture.ts';
import { CONTRACT_LIMITS } from '../contract.ts';
import { CorruptStore } from '../store-errors.ts';
import { buildInboxPolicy } from '../../../protocol/inbox-policy.ts';
import { buildRetirement } from '../../../protocol/retirement.ts';
import type { SecretKey } from '../../../protocol/keys.ts';
import { openFileHubStore } from './file-hub-store.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'murmur-corrupt-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

/** A folder holding two of everything, as a running hub leaves it. */
async function fillStore(): Promise<void> {
  const store = await openFileHubStore(dir, CONTRACT_LIMITS);
  for (const key of [aliceKey, bobKey]) await store.heads.putHead(signedHead(key, 1).head);
  for (const n of [1, 2]) await store.inbox.putNotice(signedNotice(aliceKey, bob, { n }));
  await store.quota.charge(alice, hashBytes(new TextEncoder().encode('one')), 3);
  await store.quota.charge(bob, hashBytes(new TextEncoder().encode('two')), 3);
  await store.addresses.charge('127.0.0.1', 10);
  await store.addresses.charge('127.0.0.2', 10);
  await store.handles.putClaim(signedClaim(aliceKey, 'alice', 'hub.example'));
  await store.inbox.putPolicy(policyOf(aliceKey));
  await store.handles.putClaim(signedClaim(bobKey, 'bob', 'hub.example'));
  await store.handles.retire(buildRetirement(bobKey, { ts: 1 }));
  const verified = await store.mirror.openVerified();
  for (const text of ['c1', 'c2']) await verified.add([hashBytes(new TextEncoder().encode(text)) as CommitId]);
  await store.close();
}

/** Every file under the folder and its bytes. */
async function snapshot(): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const entry of await readdir(dir, { recursive: true })) {
    const path = join(dir, entry);
    if ((await stat(path)).isFile()) files.set(relative(dir, path), (await readFile(path)).toString('base64'));
  }
  return files;
}

/** Opens the store and its mirror state, as a hub with peers does at start. */
async function openAll(): Promise<void> {
  const store = await openFileHubStore(dir, CONTRACT_LIMITS);
  try {
    await store.mirror.openVerified();
  } finally {
    await store.close();
  }
}

/** The first line of `text` replaced by `line`. */
const firstLineAs = (line: string) => (text: string) => `${line}\n${text.slice(text.indexOf('\n') + 1)}`;
/** The second line of `text` with its last character changed (a flipped byte). */
function secondLineFlipped(text: string): string {
  const lines = text.split('\n');
  const line = lines[1]!;
  lines[1] = `${line.slice(0, -2)}${line.at(-2) === '0' ? '1' : '0'}${line.at(-1)}`;
  return lines.join('\n');
}

const CASES: { file: string; damage: (text: string) => string; message: RegExp }[] = [
  { file: 'heads.log', damage: secondLineFlipped, message: /^heads\.log: line 2 .*does not decode/ },
  { file: 'heads.log', damage: firstLineAs('x y'), message: /^heads\.log: line 1 "x y": expected "<seq> <record>"/ },
  { file: 'inbox.log', damage: (t) => t.replace(/^1 /, '9 '), message: /^inbox\.log: line 2 .*does not follow 9/ },
  { file: 'quota.log', damage: firstLineAs('someone blob 3'), message: /^quota\.log: line 1 / },
  { file: 'address.log', damage: firstLineAs('127.0.0.1 ten'), message: /^address\.log: line 1 / },
  { file: 'mirror/verified.log', damage: firstLineAs('not-a-commit'), message: /^mirror\/verified\.log: line 1 / },
  { file: 'handles/alice', damage: () => 'not a claim', message: /^handles\/alice: not a handle claim/ },
  {
    file: `handles/.retired/${bob}`,
    damage: () => 'not a retirement',
    message: /^handles\/\.retired\/[0-9a-f]{64}: not a retirement/,
  },
  {
    file: `inbox-policies/${alice}`,
    damage: (t) => t.replace('closed', 'opened'),
    message: /^inbox-policies\/[0-9a-f]{64}: not an inbox policy \(InvalidField\)/,
  },
];

for (const { file, damage, message } of CASES) {
  test(`a damaged ${file} (${message.source.slice(0, 40)}…): CorruptStore, and every file as it was`, async () => {
    await fillStore();
    const path = join(dir, file);
    await writeFile(path, damage(await readFile(path, 'utf8')));
    if (file.endsWith('.log')) await appendFile(path, '1 torn line a crash left'); // a healthy open cuts this off
    const before = await snapshot();

    const error = await openAll().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(CorruptStore);
    expect(error).toMatchObject({ name: 'CorruptStore', message: expect.stringMatching(message) });
    expect(await snapshot()).toEqual(before);
  });
}

test('a claim file holding the claim of another name is CorruptStore too', async () => {
  await fillStore();
  await writeFile(join(dir, 'handles', 'bob'), await readFile(join(dir, 'handles', 'alice')));
  await expect(openAll()).rejects.toMatchObject({
    name: 'CorruptStore',
    message: 'handles/bob: holds the claim of "alice"',
  });
});

test("a policy file holding another pseudonym's policy is CorruptStore too", async () => {
  await fillStore();
  await writeFile(join(dir, 'inbox-policies', bob), await readFile(join(dir, 'inbox-policies', alice)));
  await expect(openAll()).rejects.toMatchObject({
    name: 'CorruptStore',
    message: `inbox-policies/${bob}: holds the inbox policy of ${alice}`,
  });
});

test('the undamaged folder opens, holding what was written (the control for the cases above)', async () => {
  await fillStore();
  const store = await openFileHubStore(dir, CONTRACT_LIMITS);
  expect((await store.heads.findHeads([alice, bob])).size).toBe(2);
  expect(await store.inbox.listNotices(bob, { cursor: 0, limit: 10 })).toHaveLength(2);
  expect([await store.quota.usedBy(alice), await store.addresses.usedBy('127.0.0.2')]).toEqual([3, 10]);
  expect(await store.handles.findClaim('alice')).toBeDefined();
  expect(new Uint8Array((await store.inbox.findPolicy(alice))!.bytes)).toEqual(policyOf(aliceKey).bytes);
  expect([await store.handles.findClaim('bob'), (await store.handles.findRetirement(bob))?.retirement.author]).toEqual([
    undefined,
    bob,
  ]);
  await store.close();
});

function policyOf(key: SecretKey) {
  return buildInboxPolicy(key, { mode: 'closed', senders: [bob], seq: 1, ts: 1_700_000_000_000 }, new Uint8Array(16));
}
