/**
 * The `agent` command group of the command line: agents that act for a pseudonym of this home. Each agent
 * command joins the one group through agentCommand(), whichever registers first makes it, so the commands can
 * be added one by one (program.ts).
 */
import type { Command } from 'commander';

/** The `agent` command of `program`, made on first use. */
export function agentCommand(program: Command): Command {
  return (
    program.commands.find((c) => c.name() === 'agent') ??
    program.command('agent').description('agents: programs that post for a pseudonym of this home')
  );
}
