/**
 * `settings`: one pseudonym's own settings, shown and changed: whose notices
 * its inbox takes (`--inbox closed|allowlist|open|public`, `--allow` and
 * `--disallow` a handle for an allowlist) and whether it is listed in its
 * hubs' directory (`--discoverable`, `--no-discoverable`). They live in its
 * private document (the app's, synced with its other devices), and the inbox
 * policy and the listing its hubs keep are put there at once, by the app's
 * own code (workers/inbox/inbox-policy-sync.ts, commands/directory.ts), when
 * a hub answers.
 */
import { type InboxMode, PERSON_INBOX_MODES } from '../../protocol/inbox-policy.ts';
import type { PseudonymId } from '../../protocol/ids.ts';
import { ensureInboxPolicy, wantedPolicyOf } from '../../../workers/inbox/inbox-policy-sync.ts';
import { setEntry, setInboxModeIn, setListedIn, setSearchableIn, settingsOf } from '../../../workers/private/doc.ts';
import type { PrivateSettings } from '../../../workers/private/types.ts';
import { CoreError, errorName } from '../../../workers/errors.ts';
import type { Answer } from '../answer.ts';
import type { Device } from '../device.ts';
import { PrivateState } from '../home/private-state.ts';
import { type CommandContext, actingAs } from './context.ts';
import { putListing } from './directory.ts';
import { pseudonymNamed, syncPrivate } from './private.ts';

/** `settings --json` (docs/cli.md). */
export interface SettingsAnswer {
  readonly inbox: InboxMode;
  /** Who an allowlist inbox takes notices from. */
  readonly allowed: readonly PseudonymId[];
  /** The followers its `followers` posts are sealed to (approved here or in the app's Settings). */
  readonly approvedFollowers: readonly PseudonymId[];
  /** Whether it is in its hubs' directory: never listed, listed, or taken out (an unlisting replaced it). */
  readonly listing: PrivateSettings['listing'];
  /** Whether a listed pseudonym is found by words in its handle, name and bio too (else by topic only). */
  readonly searchable: boolean;
  /** Whether its hubs hold the policy and the listing the settings say: 'yes', or why not (Offline, ...). */
  readonly hubsUpToDate: string;
}

export interface SettingsOptions {
  readonly inbox?: string;
  readonly allow?: string;
  readonly disallow?: string;
  readonly discoverable?: boolean;
  readonly searchable?: boolean;
  readonly approve?: string;
  readonly unapprove?: string;
}

export async function settings(context: CommandContext, options: SettingsOptions): Promise<Answer> {
  const me = actingAs(context);
  if (options.inbox !== undefined && !(PERSON_INBOX_MODES as readonly string[]).includes(options.inbox))
    throw new CoreError('InvalidField', `--inbox is one of ${PERSON_INBOX_MODES.join(', ')}`, { field: 'inbox' });
  const changes: ((doc: PrivateState['doc']) => void)[] = [];
  if (options.inbox !== undefined) changes.push((doc) => setInboxModeIn(doc, options.inbox as InboxMode));
  const { discoverable, searchable } = options;
  if (discoverable !== undefined) changes.push((doc) => setListedIn(doc, discoverable));
  if (searchable !== undefined) changes.push((doc) => setSearchableIn(doc, searchable));
  for (const [who, list, on] of [
    [options.allow, 'inboxAllow', true],
    [options.disallow, 'inboxAllow', false],
    [options.approve, 'approvedFollowers', true],
    [options.unapprove, 'approvedFollowers', false],
  ] as const) {
    if (who === undefined) continue;
    const id = await pseudonymNamed(context, who);
    changes.push((doc) => setEntry(doc, list, id, on, Date.now()));
  }
  if (changes.length > 0) {
    PrivateState.open(context.device.home, me.name).change((doc) => {
      for (const change of changes) change(doc);
    });
    await syncPrivate(context.device, me.id);
  }
  const json = await answerOf(context.device, me.id, me.name);
  const allowed = json.allowed.length > 0 ? json.allowed.join(', ') : '-';
  const text = [
    `inbox      ${json.inbox}${json.inbox === 'allowlist' ? ` (${allowed})` : ''}`,
    `followers  ${json.approvedFollowers.length} approved to read your followers posts`,
    `directory  ${DIRECTORY_WORDS[json.listing]}${json.listing === 'listed' ? SEARCH_WORDS[`${json.searchable}`] : ''}`,
    `your hubs  ${json.hubsUpToDate === 'yes' ? 'hold these' : `not told yet (${json.hubsUpToDate}): run sync`}`,
  ].join('\n');
  return { json, text };
}

const SEARCH_WORDS = {
  true: ', also found by words in them',
  false: ', found by topic only (--searchable: by words too)',
} as const;

const DIRECTORY_WORDS: Record<PrivateSettings['listing'], string> = {
  never: 'not listed (--discoverable lists your handle, name, topics and bio)',
  listed: 'listed: people on your hubs find your handle, name, topics and bio',
  unlisted: 'not listed (taken out)',
};

async function answerOf(device: Device, id: PseudonymId, name: string): Promise<SettingsAnswer> {
  const policy = await putInboxPolicy(device, id, name);
  const listed = await putListing(device, { id, name });
  const state = settingsOf(PrivateState.open(device.home, name).doc);
  return {
    inbox: state.inboxMode,
    allowed: state.inboxAllow.map((e) => e.value),
    approvedFollowers: state.approvedFollowers.map((e) => e.value),
    listing: state.listing,
    searchable: state.searchable,
    hubsUpToDate: policy === 'yes' ? listed : policy,
  };
}

/**
 * Puts the inbox policy the pseudonym's settings want on each of its hubs that holds another (`sync` calls it too,
 * so a change made offline reaches them later). Never throws. @returns 'yes', or the failure's name
 */
export async function putInboxPolicy(device: Device, id: PseudonymId, name: string): Promise<string> {
  try {
    const wanted = await wantedPolicyOf(id, settingsOf(PrivateState.open(device.home, name).doc), device.store);
    const random = (bytes: Uint8Array<ArrayBuffer>) => crypto.getRandomValues(bytes);
    await ensureInboxPolicy({ ...device.deps, random }, id, wanted);
    return 'yes';
  } catch (error) {
    return errorName(error);
  }
}
