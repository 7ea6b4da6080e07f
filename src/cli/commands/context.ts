/** What every command is handed: the process's streams and environment, the `--as` choice, the device. */
import type { PseudonymId } from '../../protocol/ids.ts';
import type { Streams } from '../answer.ts';
import type { Device } from '../device.ts';
import type { PassphraseSource } from '../home/passphrase-prompt.ts';
import type { PseudonymEntry } from '../home/pseudonyms.ts';

export interface CommandContext {
  readonly io: PassphraseSource & Streams;
  /** The `--as NAME` given, if any. */
  readonly as: string | undefined;
  readonly device: Device;
}

/** The pseudonym the command acts as. @throws CliError NoPseudonym */
export function actingAs(context: CommandContext): PseudonymEntry & { readonly id: PseudonymId } {
  return context.device.pseudonyms.pick(context.as);
}
