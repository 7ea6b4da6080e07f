/**
 * Where the passphrase that unlocks a home's keys comes from: MURMUR_PASSPHRASE
 * for unattended use (an agent, a cron job), else a prompt on the terminal
 * that echoes nothing. With neither, signing fails as Locked rather than hang
 * waiting for input that never comes.
 */
import { CoreError } from '../../../workers/errors.ts';

export interface PassphraseSource {
  readonly env: NodeJS.ProcessEnv;
  readonly stdin: NodeJS.ReadStream;
  readonly stderr: NodeJS.WriteStream;
}

/**
 * @param confirm ask twice and insist they match (for a new passphrase)
 * @throws CoreError Locked when there is no MURMUR_PASSPHRASE and no terminal to ask on
 */
export async function readPassphrase(io: PassphraseSource, why: string, confirm = false): Promise<string> {
  const fromEnv = io.env.MURMUR_PASSPHRASE;
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  if (!io.stdin.isTTY)
    throw new CoreError(
      'Locked',
      'the keys are locked: set MURMUR_PASSPHRASE, or run murmur in a terminal to be asked',
    );
  for (;;) {
    const first = await promptHidden(io, `Passphrase ${why}: `);
    if (!confirm) return first;
    if (first.length < 8) {
      io.stderr.write('Use at least 8 characters.\n');
      continue;
    }
    if ((await promptHidden(io, 'Again, to be sure: ')) === first) return first;
    io.stderr.write('Those did not match; once more.\n');
  }
}

/** Reads one line from the terminal in raw mode, echoing nothing. Ctrl-C aborts. */
function promptHidden(io: PassphraseSource, question: string): Promise<string> {
  const { stdin, stderr } = io;
  // Raw (no echo) before the question shows: what is typed the moment it appears must not be echoed either.
  stdin.setRawMode(true);
  stderr.write(question);
  return new Promise((resolve, reject) => {
    let typed = '';
    const done = (error?: Error) => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      stderr.write('\n');
      if (error) reject(error);
      else resolve(typed);
    };
    const onData = (chunk: Buffer) => {
      for (const char of chunk.toString('utf8')) {
        if (char === '\r' || char === '\n') return done();
        if (char === '\u0003') return done(new CoreError('Aborted', 'stopped at the passphrase prompt'));
        if (char === '\u007f' || char === '\b') typed = typed.slice(0, -1);
        else typed += char;
      }
    };
    stdin.resume();
    stdin.on('data', onData);
  });
}
