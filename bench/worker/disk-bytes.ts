/**
 * Bytes per post as the browser really stores them (bench/worker.bench.ts):
 * Chromium with a profile folder of its own on disk (a persistent context;
 * the bench's other pages are off the record, their IndexedDB in memory),
 * the page at a fresh origin. The origin's IndexedDB folder is summed after
 * an empty core database is made and the browser closed, and again after
 * the posts are stored and the browser closed (so the files are whole), and
 * navigator.storage.estimate() is read before and after in the page.
 */
import { readdirSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';
import { CHROMIUM_ARGS } from '../chromium.ts';

export interface DiskBytes {
  readonly posts: number;
  /** The IndexedDB folders' bytes (sizes of their files) per post stored, after less before. */
  readonly folderPerPost: number;
  /** navigator.storage.estimate().usage per post, after less before. */
  readonly usagePerPost: number;
  /** The rows' fields counted in JavaScript, and the canonical bytes, per post (bytes-page.ts). */
  readonly estimate: Readonly<Record<'canonical' | 'blobs' | 'commitRows' | 'postRows' | 'viewers', number>>;
}

/** Bytes of every file under the profile's IndexedDB folders (names ending .indexeddb.*). */
export function indexedDbBytes(dir: string): number {
  let sum = 0;
  const walk = (path: string, inside: boolean) => {
    for (const entry of readdirSync(path, { withFileTypes: true })) {
      const at = join(path, entry.name);
      const isDb = inside || /\.indexeddb\./.test(entry.name);
      if (entry.isDirectory()) walk(at, isDb);
      else if (entry.isFile() && isDb) sum += statSync(at).size;
    }
  };
  walk(dir, false);
  return sum;
}

export type Call = <T>(fn: string, ...args: unknown[]) => Promise<T>;

/** Chromium on the profile folder `profile`, a page at `url` running `code`, and a way to call its functions. */
export async function openPersistent(
  profile: string,
  url: string,
  code: string,
): Promise<{ context: BrowserContext; call: Call }> {
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
  });
  const page = await context.newPage();
  await page.route(url, (route) =>
    route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>bench</title>' }),
  );
  await page.goto(url);
  await page.addScriptTag({ content: code });
  const call: Call = (fn, ...args) =>
    page.evaluate(
      ([f, a]) =>
        (globalThis as unknown as Record<string, (...x: unknown[]) => Promise<unknown>>)[f as string]!(
          ...(a as unknown[]),
        ),
      [fn, args] as const,
    ) as never;
  return { context, call };
}

/**
 * Stores `feeds` x `perFeed` posts as the easy timeline store is seeded
 * (bytes-page.ts seedDisk) in a fresh profile and measures what it took.
 * @param extraIndex the positive control: one more index on the post store before the browser closes
 */
export async function diskBytesPerPost(o: {
  url: string;
  code: string;
  feeds: number;
  perFeed: number;
  sample: number;
  extraIndex: boolean;
}): Promise<DiskBytes> {
  const profile = await mkdtemp(join(tmpdir(), 'murmur-bench-profile-'));
  try {
    let { context, call } = await openPersistent(profile, o.url, o.code);
    await call('openEmpty');
    const usageBefore = await call<number>('usage');
    await context.close();
    const folderBefore = indexedDbBytes(profile);
    ({ context, call } = await openPersistent(profile, o.url, o.code));
    const { posts } = await call<{ posts: number }>('seedDisk', o.feeds, o.perFeed);
    const estimate = await call<DiskBytes['estimate']>('bytesPerPost', o.sample, 'disk');
    await call(o.extraIndex ? 'addExtraIndex' : 'closeDisk');
    const usageAfter = await call<number>('usage');
    await context.close();
    const folderAfter = indexedDbBytes(profile);
    if (folderAfter <= folderBefore) throw new Error(`no IndexedDB folder grew under ${profile}`);
    return {
      posts,
      folderPerPost: (folderAfter - folderBefore) / posts,
      usagePerPost: (usageAfter - usageBefore) / posts,
      estimate,
    };
  } finally {
    await rm(profile, { recursive: true, force: true });
  }
}
