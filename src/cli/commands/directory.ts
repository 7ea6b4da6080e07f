/**
 * The directory on the command line, by the app's own code: `discover` reads
 * the people listed in the acting pseudonym's home hub's directory, each
 * listing verified, blocked people and this home's pseudonyms left out
 * (workers/directory/discover.ts), and `putListing` puts the listing one's
 * settings and profile want on one's hubs (workers/directory/listing-sync.ts):
 * `settings --discoverable` at once, `sync` and `profile set` again, so a
 * change made offline or on another device reaches them later.
 */
import { join } from 'node:path';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { isPseudonymId, type PseudonymId } from '../../protocol/ids.ts';
import { isTopic } from '../../protocol/topics.ts';
import { discover as readDirectory, directoryQueryOf } from '../../../workers/directory/discover.ts';
import type { DirectoryCard, DirectoryPage, DirectoryQuery } from '../../../workers/directory/types.ts';
import { publishListing, wantedListingOf } from '../../../workers/directory/listing-sync.ts';
import { settingsOf } from '../../../workers/private/doc.ts';
import { CoreError, errorName } from '../../../workers/errors.ts';
import type { Answer } from '../answer.ts';
import type { Device } from '../device.ts';
import { writeFileAtomic } from '../home/atomic-file.ts';
import { PrivateState } from '../home/private-state.ts';
import { type CommandContext, actingAs } from './context.ts';

/** `discover --json` (docs/cli.md): the worker's DirectoryPage. */
export type DiscoverAnswer = DirectoryPage;

/** @throws CoreError InvalidField (not a topic), MalformedId (not a cursor), Offline; HubError as the hub names it */
export async function discover(context: CommandContext, query: DirectoryQuery): Promise<Answer> {
  const me = actingAs(context);
  const { device } = context;
  // Checked here, not left to the hub: a hub's BadRequest would read as a failure, not as a usage error.
  const { topic } = directoryQueryOf(query);
  if (topic !== undefined && !isTopic(topic))
    throw new CoreError('InvalidField', `--topic ${query.topic} is not a topic (letters, digits, _ and -)`, {
      field: 'topic',
    });
  if (query.cursor !== undefined && !isPseudonymId(query.cursor))
    throw new CoreError('MalformedId', `--cursor ${query.cursor} is not the next a page gave`);
  const blocked = async () => PrivateState.open(device.home, me.name).hidden().blocked;
  const json: DiscoverAnswer = await readDirectory({ ...device.deps, blocked }, me.id, query);
  const more = json.next === undefined ? [] : [`More: murmur discover${againArgs(query)} --cursor ${json.next}`];
  return {
    json,
    text:
      json.people.length === 0
        ? "No one listed in your home hub's directory matches."
        : [...cardLines(json.people), ...more].join('\n'),
  };
}

/** One line per person, its columns aligned: name, handle, topics, and whether one follows it. */
function cardLines(people: readonly DirectoryCard[]): string[] {
  const rows = people.map((p) => [p.name ?? '-', p.handle, p.topics.map((t) => `#${t}`).join(' ') || '-']);
  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((r) => [...r[i]!].length)));
  const pad = (text: string, width: number) => text + ' '.repeat(width - [...text].length);
  return rows.map((row, i) =>
    [...row.map((cell, c) => pad(cell, widths[c]!)), people[i]!.followed ? 'followed' : ''].join('  ').trimEnd(),
  );
}

/** The query's own options, to ask for the next page with the same. */
function againArgs(query: DirectoryQuery): string {
  const quoted = (text: string) => (/^[\w#@.:-]+$/.test(text) ? text : JSON.stringify(text));
  return [
    query.topic !== undefined ? ` --topic ${quoted(query.topic)}` : '',
    query.q !== undefined ? ` --q ${quoted(query.q)}` : '',
    query.limit !== undefined ? ` --limit ${query.limit}` : '',
  ].join('');
}

/**
 * Puts the listing (or unlisting) the pseudonym's settings and profile want on each of its hubs, unless this home
 * put that same one on those same hubs already (`private/NAME.listing`): each put is a new signed listing, which
 * a `sync` run from a timer must not make every time. An agent puts none (publishListing). Never throws.
 * @returns 'yes' (its hubs hold what the settings want, or nothing is wanted), or the failure's name
 */
export async function putListing(device: Device, me: { id: PseudonymId; name: string }): Promise<string> {
  try {
    const settings = settingsOf(PrivateState.open(device.home, me.name).doc);
    const wanted = await wantedListingOf(settings, device.deps, me.id);
    if (!wanted) return 'yes';
    const record = join(device.home, 'private', `${me.name}.listing`);
    const put = JSON.stringify({ wanted, hubs: await device.deps.keys.getHubs(me.id) });
    if (existsSync(record) && readFileSync(record, 'utf8') === put) return 'yes';
    // An agent's device puts nothing, so records nothing: its owner's devices put the owner's listing.
    if ((await publishListing(device.deps, me.id, wanted)) > 0) {
      mkdirSync(join(record, '..'), { recursive: true, mode: 0o700 });
      writeFileAtomic(record, new TextEncoder().encode(put));
    }
    return 'yes';
  } catch (error) {
    return errorName(error);
  }
}
