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

/**
 * An MCP client of `murmur mcp` run for `user` (or with `env` as it is); its stderr gathered. stderr and stdout
 * are two pipes read apart: a line the server wrote to stderr before its answer may still be on its way when the
 * answer is in, so `stderrSays` waits for the text (or the server's exit); what came so far is not offered.
 */
export async function connect(
  cli: BuiltCli,
  user: CliUser,
  env: Record<string, string> = envOf(user),
): Promise<{ client: Client; stderrSays: (text: string) => Promise<void> }> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [cli.main, 'mcp'],
    env,
    stderr: 'pipe',
  });
  let stderr = '';
  let ended = false;
  const wake = new Set<() => void>();
  const woken = () => {
    for (const w of wake) w();
  };
  transport.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk;
    woken();
  });
  transport.stderr?.on('close', () => {
    ended = true;
    woken();
  });
  const stderrSays = (text: string) =>
    new Promise<void>((resolve, reject) => {
      const check = () => {
        if (!stderr.includes(text) && !ended) return;
        wake.delete(check);
        if (stderr.includes(text)) resolve();
        else reject(new Error(`murmur mcp's stderr ended without ${JSON.stringify(text)}:\n${stderr}`));
      };
      wake.add(check);
      check();
    });
  const client = new Client({ name: 'murmur-test', version: '1.0.0' });
  await client.connect(transport);
  return { client, stderrSays };
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
