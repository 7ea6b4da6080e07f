/**
 * `post --audience`: who may read a post, as the app's composer offers it
 * (PROTOCOL.md, Audiences). Readers are named by handle and resolved as
 * every verb resolves a person; their DM keys are the ones this home holds.
 * The sealing itself is the app's (workers/feed/audience-content.ts).
 */
import type { PseudonymId } from '../../protocol/ids.ts';
import { type SealedChoice, resolveReaders } from '../../../workers/feed/audience-content.ts';
import type { AudienceChoice } from '../../../workers/api/api-types.ts';
import type { Device } from '../device.ts';
import { CoreError } from '../../../workers/errors.ts';
import { CliError } from '../errors.ts';
import type { CommandContext } from './context.ts';
import { pseudonymNamed, syncPrivate } from './private.ts';
import { settingsOf } from '../../../workers/private/doc.ts';
import { PrivateState } from '../home/private-state.ts';

export const AUDIENCES = ['public', 'followers', 'allowlist', 'link'] as const;

/**
 * The audience `--audience KIND` and `--reader HANDLE`... name.
 * @throws CliError Usage (an unknown kind, an allowlist naming no one, readers for another audience)
 */
export async function audienceNamed(
  context: CommandContext,
  kind: string | undefined,
  readers: readonly string[] = [],
): Promise<AudienceChoice | undefined> {
  if (kind === undefined && readers.length === 0) return undefined;
  const wanted = kind ?? 'allowlist';
  if (!(AUDIENCES as readonly string[]).includes(wanted))
    throw new CliError('Usage', `--audience is one of ${AUDIENCES.join(', ')}`);
  if (wanted !== 'allowlist' && readers.length > 0)
    throw new CliError('Usage', '--reader names who may read an allowlist post (--audience allowlist)');
  if (wanted === 'public') return { kind: 'public' };
  if (wanted === 'link') return { kind: 'link' };
  if (wanted === 'followers') return { kind: 'followers' };
  if (readers.length === 0) throw new CliError('Usage', 'an allowlist post needs at least one --reader HANDLE');
  const ids: PseudonymId[] = [];
  for (const reader of readers) ids.push(await pseudonymNamed(context, reader));
  return { kind: 'allowlist', readers: ids };
}

/**
 * The readers' DM keys, as this device holds them (the one call of resolveReaders here).
 * @throws CoreError NoDmKey (a reader whose DM key this home does not hold), Forbidden (an agent: the author's
 *   own copy is sealed to the author's key, which an agent does not hold)
 */
export async function sealedChoiceOf(
  device: Device,
  pseudonym: PseudonymId,
  choice: AudienceChoice | undefined,
): Promise<SealedChoice | undefined> {
  if (choice !== undefined && choice.kind !== 'public' && (await device.deps.keys.findAgent?.(pseudonym)))
    throw new CoreError('Forbidden', "an agent posts in public only: a sealed post needs the author's own key");
  // Followers: those approved in the private state (the app's Settings > Followers), synced first.
  const approved = async () => {
    const name = device.pseudonyms.list().find((p) => p.id === pseudonym)?.name;
    if (name === undefined) return [];
    await syncPrivate(device, pseudonym);
    return settingsOf(PrivateState.open(device.home, name).doc).approvedFollowers.map((e) => e.value);
  };
  return resolveReaders(choice, (reader) => device.store.findProfileField(reader, 'dm_key'), approved);
}

/**
 * A link post's link, as the app's "Copy link" makes it (src/app/nav/route.ts, `link`): the app at `hub`, the
 * commit, the hub again, and the key in the fragment's `k`; whoever holds it reads the post.
 */
export function linkOf(hub: string, commit: string, linkKey: string): string {
  const params = new URLSearchParams({ hub, k: linkKey.replace(/^#k=/, '') });
  return `${hub}/#/link/${commit}?${params}`;
}
