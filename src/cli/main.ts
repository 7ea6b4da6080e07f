/**
 * The `murmur` process: runs the command line on its arguments and exits with its code (bin/murmur.mjs runs
 * the built bundle of this file). It exits explicitly: a pooled hub connection must not keep it alive. Before
 * it does, it waits for what it printed to be handed to the OS: a write to a pipe that is full (a reader slower
 * than a long answer, such as `timeline --json --limit 100000` of 50,000 posts) is queued, and exiting at once
 * cut such an answer off after the first few hundred KB. No top-level await: the bundle is a CommonJS script
 * (vite.cli.config.ts says why).
 */
import { runMurmur } from './program.ts';

async function main(): Promise<number> {
  const code = await runMurmur(process.argv.slice(2), {
    env: process.env,
    // Asked for only when read: Node makes process.stdin on first use (a pipe or a file loads its stream
    // modules), and most commands never read it.
    get stdin() {
      return process.stdin;
    },
    stdout: process.stdout,
    stderr: process.stderr,
  });
  // Writes to one stream complete in order: once an empty write's callback runs, all before it are written.
  await Promise.all([process.stdout, process.stderr].map((s) => new Promise((resolve) => s.write('', resolve))));
  return code;
}

main().then((code) => process.exit(code));
