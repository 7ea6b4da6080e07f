/** Whether any file a hub keeps holds `text` (its UTF-8 bytes): a sealed post's words must never be there. */
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';

export async function hubHolds(dataDir: string, text: string): Promise<boolean> {
  const entries = await readdir(dataDir, { recursive: true, withFileTypes: true });
  const files = await Promise.all(entries.filter((e) => e.isFile()).map((e) => readFile(join(e.parentPath, e.name))));
  return files.some((bytes) => bytes.includes(Buffer.from(text, 'utf8')));
}
