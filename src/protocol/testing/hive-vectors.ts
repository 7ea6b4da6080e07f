/**
 * How vectors/hive.json is made: objects and commits of one small hive from
 * fixed seeds (the hive key derived from the owner's by hive-key.ts), the view
 * a reader computes from them, and invalid cases, each with the error it must
 * raise. hive-vectors.test.ts checks the file against this recomputation
 * (Ed25519 signatures are deterministic), so a change here or in the code is
 * seen as the protocol change it is; MURMUR_WRITE_VECTORS=1 rewrites the file.
 */
import { fromHex } from '../bytes.ts';
import { type Canonical, canonicalText } from '../canonical.ts';
import { buildCommit } from '../commits.ts';
import { deriveHiveKey } from '../hive-key.ts';
import { type HiveObject, buildHiveComment, buildHivePost, buildHiveSettings } from '../hives.ts';
import type { CommitId, ObjectId, PseudonymId } from '../ids.ts';
import { pseudonymOf } from '../keys.ts';
import type { Op } from '../ops.ts';

const SEEDS = { owner: '01'.repeat(32), member: '02'.repeat(32), moderator: '04'.repeat(32) };
const NONCE = '00112233445566778899aabbccddeeff';
const T = 1767225600000;
const MINUTE = 60_000;
const ZERO_SIG = '0'.repeat(128);

type Fields = Record<string, Canonical>;

export function buildHiveVectors() {
  const keys = {
    owner: fromHex(SEEDS.owner),
    member: fromHex(SEEDS.member),
    moderator: fromHex(SEEDS.moderator),
    hive: deriveHiveKey(fromHex(SEEDS.owner), NONCE).secretKey,
  };
  const [owner, member, moderator, hive] = [keys.owner, keys.member, keys.moderator, keys.hive].map(pseudonymOf) as [
    PseudonymId,
    PseudonymId,
    PseudonymId,
    PseudonymId,
  ];

  const objects: { comment: string; kind: HiveObject['type']; text: string; id: ObjectId }[] = [];
  const add = <T extends { id: ObjectId; bytes: Uint8Array; value: HiveObject }>(comment: string, built: T): T => {
    objects.push({ comment, kind: built.value.type, text: new TextDecoder().decode(built.bytes), id: built.id });
    return built;
  };
  const charter = add(
    'a charter: the hive’s first settings, naming its owner and the nonce its key was derived with',
    buildHiveSettings({
      hive,
      ts: T,
      owner,
      nonce: NONCE,
      name: 'Rustaceans',
      description: 'Rust, the language.\nNews, questions and projects.',
      membership: 'approval',
      listed: true,
    }),
  );
  const modSettings = add(
    'a moderator’s settings: rules (counts: the owner never set them) and a description (loses to the owner’s)',
    buildHiveSettings({ hive, ts: T + 3 * MINUTE, rules: '1. Be kind.\n2. No spam.', description: 'Crabs.' }),
  );
  const ownerSettings = add(
    'the owner’s settings: unlisted from now on',
    buildHiveSettings({ hive, ts: T + 6 * MINUTE, listed: false }),
  );
  const post = add(
    'a hive post with a title and a body',
    buildHivePost({ hive, author: member, ts: T + 2 * MINUTE, title: 'Async traits are stable', body: 'Finally.' }),
  );
  const linkPost = add(
    'a hive post with a title and a link only',
    buildHivePost({
      hive,
      author: moderator,
      ts: T + 5 * MINUTE,
      title: 'Release notes',
      link: 'https://blog.rust-lang.org/releases/',
    }),
  );
  add(
    'a hive post with both a body and a link (published nowhere here)',
    buildHivePost({ hive, author: member, ts: T, title: 'RFC', body: 'Read this.', link: 'http://example.com/rfc' }),
  );
  const top = add(
    'a comment at the top level of a post',
    buildHiveComment({ hive, author: member, ts: T + 4 * MINUTE, post: post.id, body: 'Since 1.75.' }),
  );
  const reply = add(
    'a reply to a comment',
    buildHiveComment({ hive, author: moderator, ts: T + 5 * MINUTE, post: post.id, parent: top.id, body: 'Yes!' }),
  );

  const commits: { comment: string; text: string; id: CommitId; ops: Op[] }[] = [];
  const tips: Record<string, { id: CommitId; seq: number }> = {};
  const commit = (comment: string, who: keyof typeof keys, minutes: number, ops: Op[]) => {
    const tip = tips[who];
    const built = buildCommit(keys[who], {
      parents: tip ? [tip.id] : [],
      seq: tip ? tip.seq + 1 : 1,
      ts: T + minutes * MINUTE + 1000,
      ops,
    });
    tips[who] = { id: built.id, seq: built.commit.seq };
    commits.push({ comment, text: new TextDecoder().decode(built.bytes), id: built.id, ops });
  };
  commit('the hive’s first commit: its charter', 'hive', 0, [{ type: 'hive', object: charter.id }]);
  commit('the owner (the hive’s feed) adds a moderator', 'hive', 1, [
    { type: 'hive_mod', hive, member: moderator, action: 'add' },
  ]);
  commit('a member joins and posts', 'member', 2, [
    { type: 'hive_member', hive, member, action: 'join' },
    { type: 'hive_post', object: post.id },
  ]);
  commit('the moderator approves the member and changes settings', 'moderator', 3, [
    { type: 'hive_member', hive, member, action: 'approve' },
    { type: 'hive', object: modSettings.id },
  ]);
  commit('the member comments and votes the post up', 'member', 4, [
    { type: 'hive_comment', object: top.id },
    { type: 'vote', target: post.id, value: 1 },
  ]);
  commit('the moderator replies and posts a link', 'moderator', 5, [
    { type: 'hive_comment', object: reply.id },
    { type: 'hive_post', object: linkPost.id },
  ]);
  commit('the owner removes the link post, with a public reason, and unlists the hive', 'hive', 6, [
    { type: 'hive_remove', hive, target: linkPost.id, reason: 'Posted twice; see the pinned one.' },
    { type: 'hive', object: ownerSettings.id },
  ]);

  const view = {
    comment: 'the view every reader computes from these commits and objects (hive-state.ts)',
    owner,
    settings: {
      name: 'Rustaceans',
      description: 'Rust, the language.\nNews, questions and projects.',
      rules: '1. Be kind.\n2. No spam.',
      membership: 'approval',
      listed: false,
    },
    moderators: [moderator],
    posts: [{ id: post.id, votes: { ups: 1, downs: 0, score: 1 } }],
    comments: [top.id, reply.id],
    log: ['charter', 'mod_add', 'approve', 'settings', 'remove', 'settings'],
  };

  return {
    source:
      'made by src/protocol/testing/hive-vectors.ts from the fixed seeds (the hive key derived from the owner’s ' +
      'seed and the nonce, hive-key.ts); a changed vector is a protocol change',
    seeds: SEEDS,
    nonce: NONCE,
    authors: { owner, member, moderator, hive },
    objects,
    commits,
    view,
    invalid: invalidCases(
      hive,
      member,
      charter.value as unknown as Fields,
      post.value as unknown as Fields,
      top.value as unknown as Fields,
    ),
  };
}

type Kind = HiveObject['type'] | 'commit';
interface InvalidCase {
  comment: string;
  kind: Kind;
  text: string;
  error: string;
}

function invalidCases(hive: PseudonymId, author: PseudonymId, charter: Fields, post: Fields, comment: Fields) {
  const cases: InvalidCase[] = [];
  const change = (base: Fields, edit: Fields, drop: string[] = []) => {
    const out: Fields = { ...base, ...edit };
    for (const key of drop) delete out[key];
    return canonicalText(out);
  };
  const object = (kind: Kind, base: Fields) => (c: string, error: string, edit: Fields, drop?: string[]) =>
    cases.push({ comment: c, kind, text: change(base, edit, drop), error });
  const settings = object('hive', charter);
  settings('a charter without its nonce', 'InvalidField', {}, ['nonce']);
  settings('a nonce without an owner (only a charter names one)', 'InvalidField', {}, ['owner']);
  settings('a charter without a membership', 'InvalidField', {}, ['membership']);
  settings('a charter without a name', 'InvalidField', {}, ['name']);
  settings('a name of 65 characters', 'TooLarge', { name: 'é'.repeat(65) });
  settings('a blank name', 'InvalidField', { name: '   ' });
  settings('a name with a line break', 'InvalidField', { name: 'Rust\nacean' });
  settings('a name turned by a right-to-left override', 'InvalidField', { name: 'Rust\u202e' });
  settings('a description of 1,025 characters', 'TooLarge', { description: 'd'.repeat(1025) });
  settings('a description with an ANSI escape', 'InvalidField', { description: 'red \u001b[31m' });
  settings('rules of 10,001 characters', 'TooLarge', { rules: 'r'.repeat(10_001) });
  settings('a membership the protocol does not know', 'InvalidField', { membership: 'invite' });
  settings('listed as a string', 'InvalidField', { listed: 'yes' });
  settings('a malformed owner', 'MalformedId', { owner: 'OWNER' });
  settings('a nonce of 15 bytes', 'InvalidField', { nonce: 'ab'.repeat(15) });
  settings('a malformed hive id', 'MalformedId', { hive: hive.toUpperCase() });
  settings('settings that set no field', 'InvalidField', {}, [
    'owner',
    'nonce',
    'name',
    'description',
    'membership',
    'listed',
  ]);
  settings('an unknown field', 'InvalidField', { banner: 'x' });
  settings('a negative ts', 'InvalidField', { ts: -1 });
  const hivePost = object('hive_post', post);
  hivePost('a title of 301 characters', 'TooLarge', { title: 't'.repeat(301) });
  hivePost('an empty title', 'InvalidField', { title: '' });
  hivePost('a title with a line break', 'InvalidField', { title: 'one\ntwo' });
  hivePost('a post with neither body nor link', 'InvalidField', {}, ['body']);
  hivePost('a blank body', 'InvalidField', { body: ' \n ' });
  hivePost('a body of 10,001 characters', 'TooLarge', { body: 'b'.repeat(10_001) });
  hivePost('a link that is not http(s)', 'InvalidField', { link: 'ftp://example.com/x' });
  hivePost('a link with a space', 'InvalidField', { link: 'https://example.com/a b' });
  hivePost('a javascript: link', 'InvalidField', { link: 'javascript:alert(1)' });
  hivePost('a link of 2,049 characters', 'TooLarge', { link: `https://example.com/${'a'.repeat(2029)}` });
  hivePost('a malformed author', 'MalformedId', { author: author.slice(2) });
  hivePost('a post without a hive', 'MalformedId', {}, ['hive']);
  const hiveComment = object('hive_comment', comment);
  hiveComment('an empty comment', 'InvalidField', { body: '' });
  hiveComment('a comment of 10,001 characters', 'TooLarge', { body: 'c'.repeat(10_001) });
  hiveComment('a comment without its post', 'MalformedId', {}, ['post']);
  hiveComment('a parent that is the post itself', 'InvalidField', { parent: comment.post as string });
  hiveComment('a malformed parent', 'MalformedId', { parent: 'parent' });
  hiveComment('a comment with a title', 'InvalidField', { title: 'Re:' });
  cases.push({
    comment: 'a hive post whose keys are out of order',
    kind: 'hive_post',
    text: canonicalText(post).replace(/^\{("author":"[0-9a-f]+"),("body":"[^"]*")/, '{$2,$1'),
    error: 'NonCanonical',
  });
  cases.push({
    comment: 'a post read as a comment',
    kind: 'hive_comment',
    text: canonicalText(post),
    error: 'DecodeError',
  });

  const commitOf = (c: string, error: string, op: Fields) =>
    cases.push({
      comment: c,
      kind: 'commit',
      text: canonicalText({ author, ops: [op], parents: [], seq: 1, sig: ZERO_SIG, ts: T, type: 'commit' }),
      error,
    });
  const objectId = 'a1'.repeat(32);
  commitOf('a membership action the protocol does not know', 'InvalidField', {
    type: 'hive_member',
    hive,
    member: author,
    action: 'kick',
  });
  commitOf('a membership op naming no member', 'MalformedId', { type: 'hive_member', hive, action: 'join' });
  commitOf('a moderator op that bans', 'InvalidField', { type: 'hive_mod', hive, member: author, action: 'ban' });
  commitOf('the hive made its own moderator', 'InvalidField', { type: 'hive_mod', hive, member: hive, action: 'add' });
  commitOf('a removal reason of 501 characters', 'TooLarge', {
    type: 'hive_remove',
    hive,
    target: objectId,
    reason: 'r'.repeat(501),
  });
  commitOf('an empty removal reason', 'InvalidField', { type: 'hive_remove', hive, target: objectId, reason: '' });
  commitOf('a removal reason with a line break', 'InvalidField', {
    type: 'hive_remove',
    hive,
    target: objectId,
    reason: 'one\ntwo',
  });
  commitOf('a removal naming a malformed target', 'MalformedId', { type: 'hive_remove', hive, target: 'post' });
  commitOf('a settings op with an audience', 'InvalidField', { type: 'hive', object: objectId, audience: 'link' });
  commitOf('a hive post op naming a malformed object', 'MalformedId', { type: 'hive_post', object: objectId.slice(1) });
  commitOf('a hive comment op with a body inline', 'InvalidField', {
    type: 'hive_comment',
    object: objectId,
    body: 'x',
  });
  return cases;
}
