/**
 * The `murmur` process: runs the command line on its arguments and exits with its code (bin/murmur.mjs runs
 * the built bundle of this file). It exits explicitly: a pooled hub connection must not keep it alive.
 * (On Linux, writes to a pipe or file are synchronous, so nothing printed is lost.)
 */
import { runMurmur } from './program.ts';

const code = await runMurmur(process.argv.slice(2), {
  env: process.env,
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
});
process.exit(code);
