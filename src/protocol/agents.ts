/**
 * Agent provenance. A commit may carry `agent: { id, model }`: the agent's
 * own public key and the model it ran. Either the author signed the commit
 * and merely declares the agent, or the agent signed it with its own key under
 * a delegation: a record `{type, owner, agent, scope, expires, name?}` signed
 * by the owner pseudonym, inlined in the commit so a reader can check "agent X
 * on behalf of alice" from the commit alone. The same delegation lets the
 * agent sign the owner's head (heads.ts), and a `revoke` op in the owner's
 * feed ends it (feed-state.ts).
 */
import type { Canonical } from './canonical.ts';
import { ProtocolError } from './errors.ts';
import { invalid, readArray, readInt, readPseudonymId, readString, requireKeys } from './fields.ts';
import { HIVE_OP_TYPES } from './hive-ops.ts';
import type { PseudonymId } from './ids.ts';
import { type SecretKey, type Verify, pseudonymOf } from './keys.ts';
import type { OpType } from './ops.ts';
import { type Fields, type SignedRecord, buildSigned, verifySigned } from './signed.ts';
import { isLowerHex } from './bytes.ts';
import { encodeCanonical } from './canonical.ts';

export interface Delegation {
  readonly type: 'delegation';
  readonly owner: PseudonymId;
  readonly agent: PseudonymId;
  /** The op types the agent may publish. */
  readonly scope: readonly OpType[];
  /** Milliseconds since the epoch; commits dated later are refused. */
  readonly expires: number;
  /** What the owner calls the agent (`agent add NAME`), shown as "NAME (model) on behalf of owner". */
  readonly name?: string;
}

/** A delegation with the owner's signature, as inlined in commits and heads. */
export type SignedDelegation = Delegation & { readonly sig: string };

/** The longest agent name a delegation carries, in code points. */
export const AGENT_NAME_CHARS = 64;

export interface AgentField {
  readonly id: PseudonymId;
  readonly model: string;
  /** Present when the agent signed the commit itself. */
  readonly delegation?: SignedDelegation;
}

/** Who a verified commit speaks for. */
export interface Provenance {
  readonly author: PseudonymId;
  readonly agent?: {
    readonly id: PseudonymId;
    readonly model: string;
    readonly delegated: boolean;
    /** The name the owner's delegation gives the agent. */
    readonly name?: string;
  };
}

/** The op types a delegation may allow: every type but `revoke`, which only the owner's key may sign. */
export const DELEGABLE_OP_TYPES: readonly OpType[] = [
  'post',
  'repost',
  'edit',
  'delete',
  'react',
  'unreact',
  'follow',
  'unfollow',
  'profile',
  'vote',
  'mist',
  'unmist',
  ...HIVE_OP_TYPES,
];

/** @throws ProtocolError as decodeDelegation (a scope naming `revoke`, a name too long). */
export function buildDelegation(
  ownerKey: SecretKey,
  fields: { agent: PseudonymId; scope: readonly OpType[]; expires: number; name?: string },
): SignedDelegation {
  const unsigned = {
    type: 'delegation',
    owner: pseudonymOf(ownerKey),
    agent: fields.agent,
    scope: [...fields.scope],
    expires: fields.expires,
    ...(fields.name !== undefined && { name: fields.name }),
  } as Fields;
  decodeDelegation({ ...unsigned, sig: '0'.repeat(128) } as Canonical, 'delegation');
  const { sig } = buildSigned(unsigned, ownerKey);
  return { ...(unsigned as unknown as Delegation), sig };
}

/** @throws ProtocolError InvalidField, MalformedId, TooLarge */
export function decodeAgentField(raw: Canonical): AgentField {
  if (typeof raw !== 'object' || Array.isArray(raw)) throw invalid('agent', 'expected an object');
  requireKeys(raw, ['id', 'model', 'delegation'], 'agent');
  const field: AgentField = { id: readPseudonymId(raw, 'id'), model: readString(raw, 'model', 128)! };
  if (raw.delegation === undefined) return field;
  return { ...field, delegation: decodeDelegation(raw.delegation, 'agent.delegation') };
}

/**
 * The form of a signed delegation (not its signature: see checkDelegation).
 * @throws ProtocolError InvalidField, MalformedId, TooLarge
 */
export function decodeDelegation(d: Canonical, where: string): SignedDelegation {
  if (typeof d !== 'object' || Array.isArray(d) || d.type !== 'delegation')
    throw invalid(where, 'expected a delegation');
  requireKeys(d, ['type', 'owner', 'agent', 'scope', 'expires', 'name', 'sig'], 'delegation');
  const scope = readArray(d, 'scope', DELEGABLE_OP_TYPES.length)!;
  scope.forEach((t, i) => {
    if (typeof t !== 'string' || !(DELEGABLE_OP_TYPES as readonly string[]).includes(t))
      throw invalid(`delegation.scope[${i}]`, 'expected an op type a delegation may allow');
  });
  const name = readString(d, 'name', AGENT_NAME_CHARS, true);
  if (!isLowerHex(d.sig, 64)) throw invalid('delegation.sig', 'expected 128 lowercase hex characters');
  return {
    type: 'delegation',
    owner: readPseudonymId(d, 'owner'),
    agent: readPseudonymId(d, 'agent'),
    scope: scope as OpType[],
    expires: readInt(d, 'expires', 0),
    ...(name !== undefined && { name }),
    sig: d.sig as string,
  };
}

/**
 * Checks that `delegation` is `owner`'s signed word that `agent` may act for it at `ts`. Shared by commits and
 * heads; the op scope is the commit's own check.
 * @throws ProtocolError BadDelegation, DelegationExpired
 */
export async function checkDelegation(
  delegation: SignedDelegation,
  expected: { owner: PseudonymId; agent: PseudonymId; ts: number },
  verify: Verify,
): Promise<void> {
  const { sig, ...unsigned } = delegation;
  if (unsigned.owner !== expected.owner || unsigned.agent !== expected.agent) {
    throw new ProtocolError('BadDelegation', 'the delegation is not from this author to this agent');
  }
  const record: SignedRecord = {
    fields: unsigned as unknown as Fields,
    sig,
    bytes: encodeCanonical({ ...unsigned, sig }),
    message: encodeCanonical(unsigned),
  };
  if (!(await verifySigned(record, expected.owner, verify)))
    throw new ProtocolError('BadDelegation', 'the delegation is not signed by the author');
  if (expected.ts > unsigned.expires)
    throw new ProtocolError('DelegationExpired', 'dated after the delegation expired');
}

/**
 * Checks who signed: the author, or an agent under the author's delegation.
 * @param record the commit as signed; `fields` hold author, ts, ops and agent.
 * @throws ProtocolError BadSignature, BadDelegation, DelegationExpired, OutOfScope
 */
export function checkProvenance(
  record: SignedRecord,
  commit: { author: PseudonymId; ts: number; ops: readonly { type: OpType }[]; agent?: AgentField },
  verify: Verify,
): Promise<Provenance> {
  const { author, agent } = commit;
  if (agent?.delegation) return checkDelegated(record, { ...commit, agent: agent as Required<AgentField> }, verify);
  // The common case, once per commit verified: one promise, no async frame.
  return verifySigned(record, author, verify).then((ok) => {
    if (!ok) throw new ProtocolError('BadSignature', 'the commit is not signed by its author');
    return agent ? { author, agent: { id: agent.id, model: agent.model, delegated: false } } : { author };
  });
}

async function checkDelegated(
  record: SignedRecord,
  commit: { author: PseudonymId; ts: number; ops: readonly { type: OpType }[]; agent: Required<AgentField> },
  verify: Verify,
): Promise<Provenance> {
  const { author, agent } = commit;
  const delegation = agent.delegation;
  await checkDelegation(delegation, { owner: author, agent: agent.id, ts: commit.ts }, verify);
  const outside = commit.ops.find((op) => !delegation.scope.includes(op.type));
  if (outside) throw new ProtocolError('OutOfScope', `the delegation does not allow ${outside.type} ops`);
  if (!(await verifySigned(record, agent.id, verify)))
    throw new ProtocolError('BadSignature', 'the commit is not signed by its agent');
  const name = delegation.name;
  return { author, agent: { id: agent.id, model: agent.model, delegated: true, ...(name !== undefined && { name }) } };
}
