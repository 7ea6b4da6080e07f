/**
 * Who one is: `init` (a new pseudonym, its handle claimed on its home hub, its name and messages key published),
 * `whoami`, and `export` / `import` of the app's own backup file, so a
 * pseudonym moves between the app and the command line both ways.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { dmPublicKeyOf } from '../../protocol/dm.ts';
import { parseHandle } from '../../protocol/handles.ts';
import { pseudonymOf, secretKeyFrom } from '../../protocol/keys.ts';
import { CoreError } from '../../../workers/errors.ts';
import { decodeBackup } from '../../../workers/keys/backup.ts';
import { putHandleClaim } from '../../../workers/feed/handle-lookup.ts';
import { commitOwn } from '../../../workers/feed/local-commits.ts';
import type { Answer } from '../answer.ts';
import { CliError } from '../errors.ts';
import { writeFileAtomic } from '../home/atomic-file.ts';
import { readPassphrase } from '../home/passphrase-prompt.ts';
import { type PseudonymEntry, sealKey } from '../home/pseudonyms.ts';
import { type CommandContext, actingAs } from './context.ts';
import { send, sentAnswer } from './social.ts';

/** A pseudonym as `init`, `whoami` and `import` print it (docs/cli.md). */
function describePseudonym(entry: PseudonymEntry) {
  return {
    name: entry.name,
    id: entry.id,
    handle: entry.handle ?? null,
    displayName: entry.displayName,
    hubs: [...entry.hubs],
  };
}

function words(entry: PseudonymEntry): string {
  return [
    `${entry.handle ?? '(no handle)'}  ${entry.displayName}`,
    `  name  ${entry.name}`,
    `  id    ${entry.id}`,
    `  hubs  ${entry.hubs.join(', ')}`,
  ].join('\n');
}

/** A hub's origin from what was typed. @throws CliError Usage */
function hubOriginOf(text: string): string {
  try {
    const url = new URL(text);
    if (url.protocol === 'http:' || url.protocol === 'https:') return url.origin;
  } catch {}
  throw new CliError('Usage', `--hub wants a hub's address such as https://hub.example, not ${text}`);
}

/**
 * A home's keys share one passphrase, so MURMUR_PASSPHRASE (or one prompt) unlocks any of them: a new key takes
 * the home's passphrase, checked against a key already there, or a new one asked twice in an empty home.
 * @throws CoreError WrongPassphrase, Locked
 */
async function passphraseForNewKey(context: CommandContext): Promise<string> {
  if (context.device.pseudonyms.list().length === 0) return readPassphrase(context.io, 'to lock the new key', true);
  const passphrase = await context.device.passphrase();
  await checkSharedPassphrase(context, passphrase);
  return passphrase;
}

/** @throws CoreError WrongPassphrase when `passphrase` does not open the keys already in this home */
export async function checkSharedPassphrase(context: CommandContext, passphrase: string): Promise<void> {
  const [first] = context.device.pseudonyms.list();
  if (!first) return;
  try {
    await context.device.pseudonyms.open(first, passphrase);
  } catch (error) {
    if (!(error instanceof CoreError && error.name === 'WrongPassphrase')) throw error;
    throw new CoreError(
      'WrongPassphrase',
      `the keys in one home share a passphrase, and this one does not open ${first.name}'s`,
    );
  }
}

export async function init(
  context: CommandContext,
  options: { hub: string; handle: string; name?: string },
): Promise<Answer> {
  const { device } = context;
  const hub = hubOriginOf(options.hub);
  const local = context.as ?? options.handle.trim().toLowerCase().replace(/^@/, '');
  if (device.pseudonyms.list().some((p) => p.name === local))
    throw new CliError('NameTaken', `this home already has a pseudonym named ${local}; pick another with --as`);
  const passphrase = await passphraseForNewKey(context);
  const secretKey = secretKeyFrom(crypto.getRandomValues(new Uint8Array(32)));
  const handle = await putHandleClaim(device.deps.hub, secretKey, hub, options.handle, Date.now());
  const entry: PseudonymEntry = {
    name: local,
    id: pseudonymOf(secretKey),
    displayName: options.name ?? parseHandle(handle).name,
    handle,
    hubs: [hub],
    createdAt: Date.now(),
  };
  await device.pseudonyms.add(entry, secretKey, passphrase);
  // As the app's onboarding: the display name is the published profile name, and the key others seal messages
  // to is published at once, so followers see the name and anyone can write before this person reads messages.
  await commitOwn(device.deps, entry.id, () => ({
    ops: [{ type: 'profile', name: entry.displayName, dm_key: dmPublicKeyOf(secretKey) }],
    posts: [],
  }));
  return sentAnswer(describePseudonym(entry), `Made ${handle}.\n${words(entry)}\n`, await send(device, entry.id));
}

export async function whoami(context: CommandContext): Promise<Answer> {
  const entry = actingAs(context);
  return { json: describePseudonym(entry), text: words(entry) };
}

export async function exportBackup(context: CommandContext, file: string): Promise<Answer> {
  const entry = actingAs(context);
  const passphrase = await context.device.passphrase();
  const contents = await context.device.pseudonyms.open(entry, passphrase);
  const path = resolve(file);
  writeFileAtomic(path, await sealKey(entry, contents.secretKey, passphrase));
  return {
    json: { ...describePseudonym(entry), file: path },
    text: `Wrote ${entry.handle ?? entry.name} to ${path}, locked with this home's passphrase.`,
  };
}

export async function importBackup(context: CommandContext, file: string): Promise<Answer> {
  const bytes = readFileSync(resolve(file));
  const passphrase = await readPassphrase(context.io, `for ${file}`);
  const contents = await decodeBackup(bytes, passphrase);
  await checkSharedPassphrase(context, passphrase);
  const entry: PseudonymEntry = {
    name: context.as ?? (contents.handle ? parseHandle(contents.handle).name : contents.name.toLowerCase()),
    id: contents.id,
    displayName: contents.name,
    ...(contents.handle && { handle: contents.handle }),
    hubs: contents.hubs,
    createdAt: contents.createdAt,
  };
  await context.device.pseudonyms.add(entry, contents.secretKey, passphrase);
  // No network here: its feed, as its other devices made it, comes with the next sync (pulled and merged).
  return { json: describePseudonym(entry), text: `Imported ${entry.handle ?? entry.name}.\n${words(entry)}` };
}
