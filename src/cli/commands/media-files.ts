/**
 * Media named on the command line (`post --media FILE`, `profile set --avatar FILE`): the file's bytes and a type
 * by its extension, as the app's picker hands them to the core. Sizes and counts are the core's checks
 * (post-content.ts).
 */
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { CoreError } from '../../../workers/errors.ts';
import type { MediaInput } from '../../../workers/api/api-types.ts';

const TYPES: Readonly<Record<string, string>> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.mp4': 'video/mp4',
  '.webm': 'video/webm',
};

/** @throws CoreError NotFound (no such file), InvalidField (a type the app does not show) */
export function readMediaFile(path: string): MediaInput {
  const type = TYPES[extname(path).toLowerCase()];
  if (!type) {
    const known = Object.keys(TYPES).join(' ');
    throw new CoreError('InvalidField', `${path}: not a media file the app shows (${known})`, { field: 'media' });
  }
  try {
    return { bytes: new Uint8Array(readFileSync(path)), type };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new CoreError('NotFound', `no file ${path}`);
    throw error;
  }
}
