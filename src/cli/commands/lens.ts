/**
 * `lens`: how the pseudonym's home feed is made, shown and changed: the
 * people it follows, and the share of each page each lens may take
 * (workers/read/lenses.ts: `topics`, `adjacent`, `fresh`). The settings live
 * in its private document's `lens` map, the app's, so a change here reaches
 * its other devices (pushed at once when the home hub answers, as `settings`
 * does).
 */
import {
  LENS_NAMES,
  LENS_SHARES,
  LENS_WORDS,
  type LensName,
  lensSharesOf,
  shareSetting,
} from '../../protocol/lens-settings.ts';
import { setLensValue, settingsOf } from '../../../workers/private/doc.ts';
import type { Answer } from '../answer.ts';
import { CliError } from '../errors.ts';
import { PrivateState } from '../home/private-state.ts';
import { type CommandContext, actingAs } from './context.ts';
import { syncPrivate } from './private.ts';

/** `lens --json` (docs/cli.md): each lens's share of a page of the home feed, in percent (0: off). */
export type LensAnswer = { readonly following: number } & Readonly<Record<LensName, number>>;

export type LensOptions = Partial<Record<LensName, string>>;

/** @throws CliError Usage (a share the app does not offer) */
export async function lens(context: CommandContext, options: LensOptions): Promise<Answer> {
  const me = actingAs(context);
  const asked = LENS_NAMES.filter((name) => options[name] !== undefined).map((name) => {
    const text = options[name]!;
    const share = Number(text.replace(/%$/, ''));
    if (text.trim() === '' || !(LENS_SHARES as readonly number[]).includes(share))
      throw new CliError('Usage', `--${name} is one of ${LENS_SHARES.join(', ')} (percent; 0 is off)`);
    return { name, share };
  });
  if (asked.length > 0) {
    // Off is the setting's absence, as the app writes it (anything not offered reads as off).
    PrivateState.open(context.device.home, me.name).change((doc) => {
      for (const { name, share } of asked) setLensValue(doc, shareSetting(name), share === 0 ? undefined : share);
    });
    await syncPrivate(context.device, me.id);
  }
  const shares = lensSharesOf(settingsOf(PrivateState.open(context.device.home, me.name).doc).lens);
  const lensed = LENS_NAMES.reduce((sum, name) => sum + shares[name], 0);
  const json: LensAnswer = { following: 100 - lensed, ...shares };
  const text = [
    `following  ${json.following}% (the people you follow)`,
    ...LENS_NAMES.map(
      (name) => `${name.padEnd(9)}  ${shares[name] === 0 ? 'off' : `${shares[name]}%`} (${LENS_WORDS[name]})`,
    ),
  ].join('\n');
  return { json, text };
}
