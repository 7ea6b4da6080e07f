/**
 * `lens`: how the pseudonym's home feed is made, shown and changed: the
 * people it follows, and the share of each page the topics lens may take
 * (public posts on its own profile topics from people listed under them it
 * does not follow; workers/read/lenses.ts). The setting lives in its private
 * document's `lens` map, the app's, so a change here reaches its other
 * devices (pushed at once when the home hub answers, as `settings` does).
 */
import { TOPICS_SHARES, TOPICS_SHARE_SETTING, topicsShareOf } from '../../protocol/lens-settings.ts';
import { setLensValue, settingsOf } from '../../../workers/private/doc.ts';
import type { Answer } from '../answer.ts';
import { CliError } from '../errors.ts';
import { PrivateState } from '../home/private-state.ts';
import { type CommandContext, actingAs } from './context.ts';
import { syncPrivate } from './private.ts';

/** `lens --json` (docs/cli.md): each lens's share of a page of the home feed, in percent. */
export interface LensAnswer {
  /** The people followed: what the topics lens leaves. */
  readonly following: number;
  /** The topics lens: at most this share (0: off). */
  readonly topics: number;
}

/** @throws CliError Usage (a share the app does not offer) */
const TOPICS_WORDS = '(public posts on your topics from listed people you do not follow)';

export async function lens(context: CommandContext, options: { topics?: string }): Promise<Answer> {
  const me = actingAs(context);
  if (options.topics !== undefined) {
    const share = Number(options.topics.replace(/%$/, ''));
    if (options.topics.trim() === '' || !(TOPICS_SHARES as readonly number[]).includes(share))
      throw new CliError('Usage', `--topics is one of ${TOPICS_SHARES.join(', ')} (percent; 0 is off)`);
    // Off is the setting's absence, as the app writes it (anything not offered reads as off).
    PrivateState.open(context.device.home, me.name).change((doc) =>
      setLensValue(doc, TOPICS_SHARE_SETTING, share === 0 ? undefined : share),
    );
    await syncPrivate(context.device, me.id);
  }
  const topics = topicsShareOf(settingsOf(PrivateState.open(context.device.home, me.name).doc).lens);
  const json: LensAnswer = { following: 100 - topics, topics };
  const text = [
    `following  ${json.following}% (the people you follow)`,
    `topics     ${topics === 0 ? 'off' : `${topics}% ${TOPICS_WORDS}`}`,
  ].join('\n');
  return { json, text };
}
