/**
 * Commits: `{type, author, parents, seq, ts, ops, agent?}` signed by author.
 * A commit's id is the sha256 of its signed canonical bytes; the commits of one
 * author form that feed's append-only DAG.
 */
import type { Canonical } from './canonical.ts';
import { hexEquals, toHex } from './bytes.ts';
import { ProtocolError } from './errors.ts';
import { readArray, readPseudonymId, readSeqOrTs, requireKeys } from './fields.ts';
import { type CommitId, type ObjectId, type PseudonymId, hashBytes, isObjectId } from './ids.ts';
import { type SecretKey, type Verify, pseudonymOf } from './keys.ts';
import { LIMITS } from './limits.ts';
import { type AgentField, type Provenance, checkProvenance, decodeAgentField } from './agents.ts';
import { type Op, decodeOp, fetchIdsOf } from './ops.ts';
import { sha256 } from '../runtime/sha256.ts';
import { type Fields, type SignedRecord, buildSigned, decodeSigned } from './signed.ts';

export interface Commit {
  readonly type: 'commit';
  readonly author: PseudonymId;
  /** Sorted, distinct; empty only for the first commit of a feed; two or more in a merge. */
  readonly parents: readonly CommitId[];
  /** 1 + the greatest seq among the parents (1 for a root). */
  readonly seq: number;
  readonly ts: number;
  readonly ops: readonly Op[];
  /** Set when an agent wrote the commit (see agents.ts). */
  readonly agent?: AgentField;
}

export interface SignedCommit {
  readonly id: CommitId;
  readonly bytes: Uint8Array;
  readonly commit: Commit;
  readonly sig: string;
  /** The fields exactly as signed (what verifyCommit checks). */
  readonly signed: SignedRecord;
}

const COMMIT_KEYS = ['type', 'author', 'parents', 'seq', 'ts', 'ops', 'agent'] as const;

/**
 * Builds and signs a commit. Parents are sorted so the same DAG gives the same bytes.
 * @param secretKey the author's key, or the agent's key when `agent.delegation` is given
 *   (the author is then the delegation's owner).
 * @throws ProtocolError when the result would not decode (bad ops, limits).
 */
export function buildCommit(
  secretKey: SecretKey,
  fields: { parents: readonly CommitId[]; seq: number; ts: number; ops: readonly Op[]; agent?: AgentField },
): SignedCommit {
  const unsigned = {
    type: 'commit',
    author: fields.agent?.delegation?.owner ?? pseudonymOf(secretKey),
    parents: [...new Set(fields.parents)].sort(),
    seq: fields.seq,
    ts: fields.ts,
    ops: fields.ops,
    ...(fields.agent && { agent: fields.agent }),
  } as unknown as Fields;
  return decodeCommit(buildSigned(unsigned, secretKey).bytes);
}

/**
 * Checks form and limits (not the signature: see verifyCommit).
 * @throws ProtocolError HashMismatch, TooLarge, DecodeError, NonCanonical, InvalidField, MalformedId, UnknownOp,
 *         TooManyOps, BadSeq
 */
export function decodeCommit(bytes: Uint8Array, expectedId?: CommitId): SignedCommit {
  const id = hashBytes(bytes);
  if (expectedId !== undefined && id !== expectedId)
    throw new ProtocolError('HashMismatch', `bytes hash to ${id}, not ${expectedId}`);
  return decodeHashedCommit(bytes, id);
}

/** decodeCommit for bytes already known to hash to `id` (the caller hashed them). */
function decodeHashedCommit(bytes: Uint8Array, id: CommitId): SignedCommit {
  if (bytes.length > LIMITS.commitBytes)
    throw new ProtocolError('TooLarge', `commit is ${bytes.length} bytes; the limit is ${LIMITS.commitBytes}`);
  const signed = decodeSigned(bytes, 'commit');
  const { fields, sig } = signed;
  requireKeys(fields, COMMIT_KEYS, 'commit');
  const parents = readArray(fields, 'parents', LIMITS.parentsPerCommit)!;
  parents.forEach((p, i) => {
    if (!isObjectId(p))
      throw new ProtocolError('MalformedId', `parents[${i}]: expected a commit id`, { field: 'parents' });
    if (i > 0 && (parents[i - 1] as string) >= p)
      throw new ProtocolError('InvalidField', 'parents must be sorted and distinct', { field: 'parents' });
  });
  const seq = readSeqOrTs(fields, 'seq', 1);
  if (parents.length === 0 && seq !== 1) throw new ProtocolError('BadSeq', 'a commit without parents has seq 1');
  if (parents.length > 0 && seq < 2) throw new ProtocolError('BadSeq', 'a commit with parents has seq > 1');
  const rawOps = fields.ops;
  // A commit says something, except a pure merge: two or more parents and no ops joins tips.
  if (!Array.isArray(rawOps) || (rawOps.length === 0 && parents.length < 2)) {
    throw new ProtocolError(
      'InvalidField',
      'ops: expected a non-empty array (empty only in a merge of two or more parents)',
      { field: 'ops' },
    );
  }
  if (rawOps.length > LIMITS.opsPerCommit)
    throw new ProtocolError('TooManyOps', `${rawOps.length} ops; the limit is ${LIMITS.opsPerCommit}`);
  const commit: Commit = {
    type: 'commit',
    author: readPseudonymId(fields, 'author'),
    parents: parents as CommitId[],
    seq,
    ts: readSeqOrTs(fields, 'ts', 0),
    ops: rawOps.map((op: Canonical, i) => decodeOp(op, i)),
    ...(fields.agent !== undefined && { agent: decodeAgentField(fields.agent) }),
  };
  return { id, bytes, commit, sig, signed };
}

/** True when the commit is signed by its author, or by an agent under the author's valid delegation. */
export async function verifyCommit(signed: SignedCommit, verify: Verify): Promise<boolean> {
  try {
    await checkProvenance(signed.signed, signed.commit, verify);
    return true;
  } catch (error) {
    if (error instanceof ProtocolError) return false;
    throw error;
  }
}

/**
 * Who the commit speaks for ("agent X on behalf of alice").
 * @throws ProtocolError BadSignature, BadDelegation, DelegationExpired, OutOfScope
 */
export function provenanceOf(signed: SignedCommit, verify: Verify): Promise<Provenance> {
  return checkProvenance(signed.signed, signed.commit, verify);
}

/**
 * Checks a commit against what the reader knows: its seq follows its parents
 * and its time is not in the future.
 * @param parentSeqs the seq of each parent, in the order of commit.parents; undefined for a parent not held.
 * @throws ProtocolError MissingParents (context.missing lists them), BadSeq, FutureTimestamp
 */
export function checkCommitInContext(commit: Commit, parentSeqs: readonly (number | undefined)[], now: number): void {
  if (commit.ts > now + LIMITS.futureSkewMs)
    throw new ProtocolError('FutureTimestamp', `commit is dated ${commit.ts - now} ms ahead`);
  const missing = commit.parents.filter((_, i) => parentSeqs[i] === undefined);
  if (missing.length > 0)
    throw new ProtocolError('MissingParents', `${missing.length} parent(s) not held`, { missing });
  const expected = commit.parents.length === 0 ? 1 : 1 + Math.max(...(parentSeqs as number[]));
  if (commit.seq !== expected)
    throw new ProtocolError('BadSeq', `seq is ${commit.seq}; its parents make it ${expected}`);
}

/**
 * The parents and named objects (objectIdsOf) of a commit a store holds. Its bytes hashed to their id and were
 * decoded and verified on the way in, so they are read back as plain JSON, without the hash and the form checks
 * of decodeCommit: a third of its cost, paid on every commit listed (an export lists them all).
 */
export function linksOfHeldCommit(bytes: Uint8Array): { parents: readonly CommitId[]; named: ObjectId[] } {
  const { parents, ops } = JSON.parse(heldText.decode(bytes)) as Pick<Commit, 'parents' | 'ops'>;
  return { parents, named: objectIdsOf({ ops }) };
}

const heldText = new TextDecoder();

/** Ids of the blobs a commit refers to (objects its ops name), for fetching. */
export function objectIdsOf(commit: Pick<Commit, 'ops'>): ObjectId[] {
  return [...new Set(commit.ops.flatMap(fetchIdsOf))];
}

/** What a batch verification says of one commit: the decoded commit, or why it was refused. */
export type VerifiedOrRefused =
  | { readonly ok: true; readonly commit: SignedCommit }
  | { readonly ok: false; readonly id: CommitId; readonly error: ProtocolError };

/**
 * Decodes (hash and form) and verifies many commits. Each verification is
 * dispatched as soon as its commit is decoded (where the platform verifies
 * off this thread, decoding overlaps with it; Chromium verifies Ed25519 on
 * the calling thread, so there every microsecond of decoding counts against
 * the signature's). Never throws for bad input: each refusal is returned with
 * its named error.
 */
export function verifyCommits(
  entries: readonly { readonly id: CommitId; readonly bytes: Uint8Array }[],
  verify: Verify,
  digest: Digest = sha256,
): Promise<VerifiedOrRefused[]> {
  const [first, ...rest] = entries;
  if (!first) return Promise.resolve([]);
  // The first goes alone, so its author's key is imported (verify caches it)
  // before the rest are decoded; otherwise every verify would wait for the
  // import until all the decoding is done, and none would overlap with it.
  return verifyOne(first.id, first.bytes, verify, digest).then(async (head) => [
    head,
    ...(await Promise.all(rest.map(({ id, bytes }) => verifyOne(id, bytes, verify, digest)))),
  ]);
}

/**
 * sha256 of a commit's bytes, on the calling thread: node:crypto in the
 * hub, runtime/sha256.ts elsewhere (see there for why not WebCrypto's).
 */
export type Digest = (bytes: Uint8Array) => Uint8Array;

/*
 * One commit through hash, decode and signature. Written with plain promises
 * rather than async functions: this runs once per commit of every catch-up,
 * and each async frame and await is a promise and a microtask more.
 */
function verifyOne(id: CommitId, bytes: Uint8Array, verify: Verify, digest: Digest): Promise<VerifiedOrRefused> {
  return checked(
    id,
    () => {
      const hash = digest(bytes);
      if (!hexEquals(hash, id)) throw new ProtocolError('HashMismatch', `bytes hash to ${toHex(hash)}, not ${id}`);
      return decodeHashedCommit(bytes, id);
    },
    verify,
  );
}

function checked(id: CommitId, decode: () => SignedCommit, verify: Verify): Promise<VerifiedOrRefused> {
  const refused = (error: unknown): VerifiedOrRefused => {
    if (error instanceof ProtocolError) return { ok: false, id, error };
    throw error;
  };
  try {
    const commit = decode();
    return checkProvenance(commit.signed, commit.commit, verify).then(
      (): VerifiedOrRefused => ({ ok: true, commit }),
      refused,
    );
  } catch (error) {
    return Promise.reject(error).catch(refused); // a refusal is a result; anything else still rejects
  }
}
