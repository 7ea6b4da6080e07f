/**
 * For tests: the MCP SDK's own client of `murmur mcp` (the built bundle) over stdio, and a tool call that checks
 * the text content says what the structured result does (with node:assert: only src/cli/testing/ takes vitest).
 * (Not imported by the command line itself.)
 */
import { deepStrictEqual } from 'node:assert/strict';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { BuiltCli, CliUser } from '../../testing/cli-process.ts';

/** The environment of `murmur mcp` for `user`: its home, and its passphrase unless `passphrase` is false. */
export function envOf(user: CliUser, passphrase = true): Record<string, string> {
  const env = Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined));
  delete env.MURMUR_PASSPHRASE;
  return { ...env, MURMUR_HOME: user.home, ...(passphrase && { MURMUR_PASSPHRASE: user.passphrase }) };
}

/** An MCP client of `murmur mcp` run for `user` (or with `env` as it is); its stderr gathered. */
export async function connect(
  cli: BuiltCli,
  user: CliUser,
  env: Record<string, string> = envOf(user),
): Promise<{ client: Client; stderr: () => string }> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [cli.main, 'mcp'],
    env,
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (chunk: Buffer) => (stderr += chunk));
  const client = new Client({ name: 'murmur-test', version: '1.0.0' });
  await client.connect(transport);
  return { client, stderr: () => stderr };
}

/** Calls `name` and returns its structured result, after checking the text content says the same. */
export async function call<T = Record<string, unknown>>(
  client: Client,
  name: string,
  args: Record<string, unknown>,
  failing = false,
): Promise<T> {
  const result = await client.callTool({ name, arguments: args });
  deepStrictEqual({ name, isError: result.isError === true }, { name, isError: failing });
  const [text] = result.content as { type: string; text: string }[];
  deepStrictEqual(JSON.parse(text!.text), result.structuredContent);
  return result.structuredContent as T;
}
