/** One tool of `murmur mcp` (tools.ts lists them): its description, its input schema and the command it runs. */
import type { ZodRawShape, z } from 'zod';
import type { Answer } from '../answer.ts';
import type { CommandContext } from '../commands/context.ts';

export interface McpTool<Shape extends ZodRawShape = ZodRawShape> {
  /** For the agent: what it does and what it answers. */
  readonly description: string;
  readonly input: Shape;
  /** True when it publishes nothing (it may still fetch feeds into this home). */
  readonly reads?: boolean;
  /** Runs the command on a device opened for this call alone. @throws as the command does */
  run(context: CommandContext, args: z.infer<z.ZodObject<Shape>>): Promise<Answer>;
}

/** One row, its `run` typed by its own `input` (the table then holds them all as McpTool). */
export function tool<Shape extends ZodRawShape>(spec: McpTool<Shape>): McpTool {
  return spec;
}

/** What every publishing tool adds to its answer (docs/cli.md, `Sent`). */
export const SENT =
  '`sent` is true when the home hub holds it; otherwise it is queued on disk (`queued`, `reason`) and a later ' +
  'call or `murmur sync` sends it; `error` names a hub refusal (then the result is an error).';
