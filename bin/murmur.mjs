#!/usr/bin/env node
// The package's `murmur` command (npx murmur ...): runs the built command line, dist/cli/murmur.js, building it
// first when it is missing (a fresh clone after `npm install`). `npm run build` builds it with the app and hub.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const built = join(root, 'dist', 'cli', 'murmur.js');
if (!existsSync(built)) {
  process.stderr.write('murmur: building the command line once (dist/cli/)...\n');
  const vite = join(root, 'node_modules', 'vite', 'bin', 'vite.js'); // not in vite's exports: by path
  // stdout stays clean for --json: the build's output goes to stderr.
  execFileSync(process.execPath, [vite, 'build', '--config', 'vite.cli.config.ts'], {
    cwd: root,
    stdio: ['ignore', process.stderr, process.stderr],
  });
}
await import(pathToFileURL(built).href);
