/**
 * `murmur mcp`: the command line's operations as Model Context Protocol tools
 * over stdio (tools.ts lists them), served with the official SDK, so an AI
 * agent takes part without a shell. Each call runs the command the verb runs,
 * on the home opened for that call alone (its lock, its journal read again),
 * and lets go, like `timeline --follow` (live.ts): other commands of the home
 * run while the server lives. Calls run one at a time, in arrival order.
 *
 * stdin and stdout carry the protocol and nothing else: words go to stderr,
 * and keys are unlocked only unattended (MURMUR_PASSPHRASE), never by a
 * prompt. The device signs as the home's keys say (the agent credential when
 * the environment gives one, else the `--as` pseudonym), as every verb does.
 */
import type { Writable } from 'node:stream';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { type Answer, type Streams, failureJson, printFailure } from '../answer.ts';
import { openDevice } from '../device.ts';
import { EXIT } from '../errors.ts';
import type { PassphraseSource } from '../home/passphrase-prompt.ts';
import { MCP_TOOLS, type McpTool } from './tools.ts';

export type McpIo = PassphraseSource & Streams;

/**
 * What the commands are handed as their terminal: no stdin to prompt on (readPassphrase then needs
 * MURMUR_PASSPHRASE, else fails Locked), and stderr for stdout, so no command's output can reach the protocol.
 */
function unattended(io: McpIo): McpIo {
  const noTerminal = { isTTY: false } as NodeJS.ReadStream; // readPassphrase looks at isTTY only
  return { env: io.env, stdin: noTerminal, stdout: io.stderr, stderr: io.stderr };
}

/** An answer as a tool result: the `--json` value, structured and as text; an error when the verb exits non-zero. */
function resultOf(answer: Answer): CallToolResult {
  const json = answer.json as Record<string, unknown>;
  return {
    structuredContent: json,
    content: [
      { type: 'text', text: JSON.stringify(json) },
      ...(answer.problem === undefined ? [] : [{ type: 'text' as const, text: answer.problem }]),
    ],
    ...((answer.exitCode ?? EXIT.ok) !== EXIT.ok && { isError: true }),
  };
}

/** A failure as a tool error naming it (`{ error, message }`, as `--json` prints it); said on stderr too. */
function failureOf(error: unknown, io: McpIo): CallToolResult {
  printFailure({ stdout: io.stderr, stderr: io.stderr }, error, false);
  const json = failureJson(error);
  return { isError: true, structuredContent: json, content: [{ type: 'text', text: JSON.stringify(json) }] };
}

/**
 * Serves the tools on `io.stdin` / `io.stdout` until stdin ends (the client went) or SIGINT / SIGTERM; a call
 * under way finishes first. Returns the exit code.
 */
export async function serveMcp(io: McpIo, as: string | undefined): Promise<number> {
  const commandIo = unattended(io);
  const server = new McpServer(
    { name: 'murmur', version: '0.1.0' },
    {
      instructions:
        'Murmur, a social network: post, reply, react, follow, read the timeline, threads and profiles, ' +
        'search what is held, and export or import a whole feed. ' +
        'Post ids are 64 hex digits, as timeline and thread give them.',
    },
  );
  let queue: Promise<unknown> = Promise.resolve();
  const call = (tool: McpTool, args: Record<string, unknown>): Promise<CallToolResult> => {
    const run = queue.then(async () => {
      try {
        const device = await openDevice(commandIo);
        try {
          return resultOf(await tool.run({ io: commandIo, as, device }, args));
        } finally {
          await device.close();
        }
      } catch (error) {
        return failureOf(error, commandIo);
      }
    });
    queue = run;
    return run;
  };
  for (const [name, tool] of Object.entries(MCP_TOOLS)) {
    server.registerTool(
      name,
      {
        description: tool.description,
        inputSchema: tool.input,
        annotations: { readOnlyHint: tool.reads === true, destructiveHint: false, openWorldHint: true },
      },
      (args: Record<string, unknown>) => call(tool, args),
    );
  }

  let stop = () => {};
  const ended = new Promise<void>((resolve) => (stop = resolve));
  io.stdin.once('end', stop).once('close', stop);
  process.once('SIGINT', stop).once('SIGTERM', stop);
  // The transport writes only to its stdout; stdout here is the process's (a Writable), typed as the
  // command line's streams are.
  await server.connect(new StdioServerTransport(io.stdin, io.stdout as Writable));
  io.stderr.write(`murmur mcp: serving ${Object.keys(MCP_TOOLS).join(', ')} on stdio.\n`);
  await ended;
  process.off('SIGINT', stop).off('SIGTERM', stop);
  await queue;
  await server.close();
  return EXIT.ok;
}
