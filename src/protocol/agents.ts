/**
 * Agent provenance. A commit may carry `agent: { id, model }`: the agent's
 * own public key and the model it ran. Either the author signed the commit
 * and merely declares the agent, or the agent signed it with its own key under
 * a delegation: a record `{type, owner, agent, scope, expires}` signed by the
 * owner pseudonym, inlined in the commit so a reader can check "agent X on
 * behalf of alice" from the commit alone.
 */
import type { Canonical } from './canonical.ts';
import { ProtocolError } from './errors.ts';
import { invalid, readArray, readInt, readPseudonymId, readString, requireKeys } from './fields.ts';
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
}

export interface AgentField {
  readonly id: PseudonymId;
  readonly model: string;
  /** Present when the agent signed the commit itself. */
  readonly delegation?: Delegation & { readonly sig: string };
}

/** Who a verified commit speaks for. */
export interface Provenance {
  readonly author: PseudonymId;
  readonly agent?: { readonly id: PseudonymId; readonly model: string; readonly delegated: boolean };
}

const OP_TYPES: readonly string[] = [
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
];

export function buildDelegation(
  ownerKey: SecretKey,
  fields: { agent: PseudonymId; scope: readonly OpType[]; expires: number },
): Delegation & { sig: string } {
  const unsigned = {
    type: 'delegation',
    owner: pseudonymOf(ownerKey),
    agent: fields.agent,
    scope: [...fields.scope],
    expires: fields.expires,
  } as Fields;
  const { sig } = buildSigned(unsigned, ownerKey);
  return { ...(unsigned as unknown as Delegation), sig };
}

/** @throws ProtocolError InvalidField, MalformedId, TooLarge */
export function decodeAgentField(raw: Canonical): AgentField {
  if (typeof raw !== 'object' || Array.isArray(raw)) throw invalid('agent', 'expected an object');
  requireKeys(raw, ['id', 'model', 'delegation'], 'agent');
  const field: AgentField = { id: readPseudonymId(raw, 'id'), model: readString(raw, 'model', 128)! };
  if (raw.delegation === undefined) return field;
  const d = raw.delegation;
  if (typeof d !== 'object' || Array.isArray(d) || d.type !== 'delegation')
    throw invalid('agent.delegation', 'expected a delegation');
  requireKeys(d, ['type', 'owner', 'agent', 'scope', 'expires', 'sig'], 'delegation');
  const scope = readArray(d, 'scope', OP_TYPES.length)!;
  scope.forEach((t, i) => {
    if (typeof t !== 'string' || !OP_TYPES.includes(t)) throw invalid(`delegation.scope[${i}]`, 'expected an op type');
  });
  if (!isLowerHex(d.sig, 64)) throw invalid('delegation.sig', 'expected 128 lowercase hex characters');
  return {
    ...field,
    delegation: {
      type: 'delegation',
      owner: readPseudonymId(d, 'owner'),
      agent: readPseudonymId(d, 'agent'),
      scope: scope as OpType[],
      expires: readInt(d, 'expires', 0),
      sig: d.sig as string,
    },
  };
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
  const { sig, ...delegation } = agent.delegation;
  if (delegation.owner !== author || delegation.agent !== agent.id) {
    throw new ProtocolError('BadDelegation', 'the delegation is not from this author to this agent');
  }
  const delegationRecord: SignedRecord = {
    fields: delegation as unknown as Fields,
    sig,
    bytes: encodeCanonical({ ...delegation, sig }),
    message: encodeCanonical(delegation),
  };
  if (!(await verifySigned(delegationRecord, author, verify)))
    throw new ProtocolError('BadDelegation', 'the delegation is not signed by the author');
  if (commit.ts > delegation.expires)
    throw new ProtocolError('DelegationExpired', 'the commit is dated after the delegation expired');
  const outside = commit.ops.find((op) => !delegation.scope.includes(op.type));
  if (outside) throw new ProtocolError('OutOfScope', `the delegation does not allow ${outside.type} ops`);
  if (!(await verifySigned(record, agent.id, verify)))
    throw new ProtocolError('BadSignature', 'the commit is not signed by its agent');
  return { author, agent: { id: agent.id, model: agent.model, delegated: true } };
}
