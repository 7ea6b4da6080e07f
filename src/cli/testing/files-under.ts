/** For tests: every file under a folder, read whole (a hub's data folder, to show what it holds). */
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';

export async function filesUnder(dir: string): Promise<Buffer[]> {
  const found: Buffer[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true }))
    if (entry.isFile()) found.push(await readFile(join(entry.parentPath, entry.name)));
  return found;
}
