#!/usr/bin/env node
// The package's `murmur` command (npx murmur ...): runs the built command line, dist/cli/murmur.js, building it
// first when it is missing (a fresh clone after `npm install`). `npm run build` builds it with the app and hub.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const built = join(root, 'dist', 'cli', 'murmur.js');
if (!existsSync(built)) {
  process.stderr.write('murmur: building the command line once (dist/cli/)...\n');
  const vite = createRequire(import.meta.url).resolve('vite/bin/vite.js');
  execFileSync(process.execPath, [vite, 'build', '--config', 'vite.cli.config.ts'], { cwd: root, stdio: 'inherit' });
}
await import(pathToFileURL(built).href);
