/**
 * Agents (docs/cli.md, "Agents"): `agent add` makes an agent key and the
 * owner's signed delegation and writes the credential an agent process runs
 * on alone (MURMUR_AGENT_KEY); `agent list` shows the agents this home made
 * and those the feed shows; `agent revoke` commits a revoke op in the owner's
 * feed and sends it, after which every reader refuses what the agent signs.
 */
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { agentCommand } from '../agents/agent-command.ts';
import { DELEGABLE_OP_TYPES, buildDelegation } from '../../protocol/agents.ts';
import { HIVE_OP_TYPES } from '../../protocol/hive-ops.ts';
import { type AgentSeen, feedState } from '../../protocol/feed-state.ts';
import type { PseudonymId } from '../../protocol/ids.ts';
import { pseudonymOf, secretKeyFrom } from '../../protocol/keys.ts';
import type { OpType } from '../../protocol/ops.ts';
import { CoreError } from '../../../workers/errors.ts';
import { commitOwn } from '../../../workers/feed/local-commits.ts';
import type { Answer } from '../answer.ts';
import { CliError } from '../errors.ts';
import { type AgentRecord, addAgentRecord, listAgentRecords, writeAgentCredential } from '../home/agent-credential.ts';
import { pushOwn } from '../device.ts';
import { heldCommits } from '../../../workers/read/held-feed.ts';
import { type CommandContext, actingAs } from './context.ts';
import { send, sentAnswer } from './social.ts';

type Run = (handler: (context: CommandContext) => Promise<Answer>) => () => Promise<void>;

/** Registers `agent add | list | revoke` on `program`; `run` opens the home for each. */
export function agentCommands(program: Command, run: Run): void {
  const agent = agentCommand(program).description('agents that post for you, each with a key of its own');
  agent
    .command('add')
    .description('make an agent key, delegate to it, and write its credential (MURMUR_AGENT_KEY)')
    .argument('<name>')
    .requiredOption('--model <model>', 'the model the agent runs')
    .option('--scope <list>', 'what it may do: post, reply, react, or op types', 'post,reply,react')
    .option('--expires <span>', 'how long the delegation lasts: 12h, 30d', '30d')
    .option('--out <file>', 'where to write the credential (default: agents/OWNER-NAME.json in the home)')
    .action((name: string, options: AddOptions) => run((c) => addAgent(c, name, options))());
  agent
    .command('list')
    .description('your agents: those this home made and those your feed shows')
    .action(run((c) => listAgents(c)));
  agent
    .command('revoke')
    .description('revoke agent NAME (or id): readers refuse what it signs from now on')
    .argument('<name>')
    .action((name: string) => run((c) => revokeAgent(c, name))());
}

interface AddOptions {
  readonly model: string;
  readonly scope: string;
  readonly expires: string;
  readonly out?: string;
}

/** What `--scope` words allow: a reply is a post with replyTo; reacting includes taking a reaction back. */
const SCOPE_WORDS: Readonly<Record<string, readonly OpType[]>> = {
  reply: ['post'],
  react: ['react', 'unreact'],
  mists: ['mist', 'unmist'],
  hives: HIVE_OP_TYPES,
};

/** @throws CliError Usage */
function parseScope(text: string): OpType[] {
  const wanted = new Set<OpType>();
  for (const word of text.split(',').map((w) => w.trim().toLowerCase())) {
    const types = SCOPE_WORDS[word] ?? (DELEGABLE_OP_TYPES.includes(word as OpType) ? [word as OpType] : undefined);
    if (!types)
      throw new CliError('Usage', `--scope: ${word} is not post, reply, react or an op type an agent may have`);
    for (const t of types) wanted.add(t);
  }
  return DELEGABLE_OP_TYPES.filter((t) => wanted.has(t));
}

const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** @throws CliError Usage */
function parseSpan(text: string): number {
  const match = /^(\d{1,5})([mhd])$/.exec(text.trim());
  if (!match || Number(match[1]) === 0)
    throw new CliError('Usage', `--expires wants a span like 12h or 30d, not ${text}`);
  return Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
}

const AGENT_NAME = /^[a-z0-9][a-z0-9_.-]{0,31}$/;

export async function addAgent(context: CommandContext, name: string, options: AddOptions): Promise<Answer> {
  const me = actingAs(context);
  const { device } = context;
  if (device.pseudonyms.agent) throw new CoreError('Forbidden', 'an agent process cannot make agents');
  if (!AGENT_NAME.test(name)) throw new CliError('Usage', `${name} is not an agent name (1 to 32 of a-z 0-9 _ . -)`);
  if (listAgentRecords(device.home).some((r) => r.owner === me.id && r.name === name))
    throw new CliError('NameTaken', `${me.name} already has an agent named ${name}`);
  const scope = parseScope(options.scope);
  const expires = Date.now() + parseSpan(options.expires);
  const ownerKey = await device.deps.keys.getSecretKey(me.id);
  const agentKey = secretKeyFrom(crypto.getRandomValues(new Uint8Array(32)));
  const id = pseudonymOf(agentKey);
  const delegation = buildDelegation(ownerKey, { agent: id, scope, expires, name });
  const file = resolve(options.out ?? join(device.home, 'agents', `${me.name}-${name}.json`));
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  // The agent's own passphrase when given, so whoever runs it need not know the home's.
  const passphrase = context.io.env.MURMUR_AGENT_PASSPHRASE || (await device.passphrase());
  const owner = {
    id: me.id,
    ...(me.handle !== undefined && { handle: me.handle }),
    displayName: me.displayName,
    hubs: me.hubs,
  };
  await writeAgentCredential(file, { name, id, model: options.model, owner, delegation }, agentKey, passphrase);
  const record: AgentRecord = {
    owner: me.id,
    name,
    id,
    model: options.model,
    scope,
    expires,
    file,
    createdAt: Date.now(),
  };
  addAgentRecord(device.home, record);
  return {
    json: { name, id, model: options.model, scope, expires, file, owner: me.id },
    text: [
      `Made agent ${name} (${options.model}) for ${me.handle ?? me.name}, until ${new Date(expires).toISOString()}.`,
      `  id     ${id}`,
      `  scope  ${scope.join(', ')}`,
      `  run it with MURMUR_AGENT_KEY=${file}`,
    ].join('\n'),
  };
}

/** One agent as `agent list --json` prints it (docs/cli.md). */
interface AgentListed {
  readonly name: string | null;
  readonly id: PseudonymId;
  readonly model: string | null;
  readonly scope: readonly OpType[];
  readonly expires: number | null;
  readonly revoked: boolean;
}

async function agentsOf(context: CommandContext) {
  const me = actingAs(context);
  const { device } = context;
  const state = feedState(await heldCommits(device.store, me.id));
  const records = listAgentRecords(device.home).filter((r) => r.owner === me.id);
  const ids = [...new Set([...records.map((r) => r.id), ...state.agents.keys(), ...state.revoked])];
  const listed = ids.map((id): AgentListed => {
    const record = records.find((r) => r.id === id);
    const seen: AgentSeen | undefined = state.agents.get(id)?.value;
    return {
      name: record?.name ?? seen?.name ?? null,
      id,
      model: record?.model ?? seen?.model ?? null,
      scope: record?.scope ?? seen?.scope ?? [],
      expires: record?.expires ?? seen?.expires ?? null,
      revoked: state.revoked.has(id),
    };
  });
  return { me, listed };
}

export async function listAgents(context: CommandContext): Promise<Answer> {
  const { listed } = await agentsOf(context);
  const line = (a: AgentListed) =>
    `${a.name ?? '(unnamed)'}  ${a.model ?? '?'}  ${a.scope.join(',')}  ${
      a.revoked ? 'revoked' : a.expires === null ? '' : `until ${new Date(a.expires).toISOString()}`
    }\n  ${a.id}`;
  return {
    json: { agents: listed },
    text:
      listed.length === 0 ? 'No agents. Make one: murmur agent add NAME --model MODEL' : listed.map(line).join('\n'),
  };
}

export async function revokeAgent(context: CommandContext, who: string): Promise<Answer> {
  const { me, listed } = await agentsOf(context);
  const found = listed.find((a) => a.name === who || a.id === who);
  if (!found) throw new CoreError('NotFound', `${me.handle ?? me.name} has no agent ${who}`);
  // A revocation keeps what it descends from (PROTOCOL.md, Agents): first merge what the hub holds of one's own
  // feed, so the agent's posts made before now, from its own home, stay. Offline, it keeps what this home holds.
  await pushOwn(context.device, me.id);
  const commit = await commitOwn(context.device.deps, me.id, () => ({
    ops: [{ type: 'revoke', agent: found.id }],
    posts: [],
  }));
  return sentAnswer(
    { name: found.name, id: found.id, commit: commit.id },
    `Revoked ${found.name ?? found.id}: readers refuse what it signs from now on.`,
    await send(context.device, me.id),
  );
}
