/**
 * How a command answers: a value for `--json` (one line of JSON on stdout,
 * its shape documented in docs/cli.md) and words for people; failures as
 * words on stderr and, with `--json`, `{"error": NAME, "message": ...}` on
 * stdout, the exit code picked by the name (errors.ts).
 */
import { exitCodeOf } from './errors.ts';

export interface Answer {
  readonly json: unknown;
  /** For people: lines, no trailing newline. */
  readonly text: string;
  /** 0 unless the command did its part but must report a failure too (`sync` while offline: 3). */
  readonly exitCode?: number;
  /** That failure in words, for stderr (`murmur: ...`). */
  readonly problem?: string;
  /** Bytes to write as they are instead of `text` (a file, `mist read --raw`): no newline added. */
  readonly bytes?: Uint8Array;
}

export interface Streams {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
}

/** Prints `answer`; returns the exit code. */
export function printAnswer(streams: Streams, answer: Answer, json: boolean): number {
  if (!json && answer.bytes) streams.stdout.write(answer.bytes);
  else streams.stdout.write(json ? `${JSON.stringify(answer.json)}\n` : `${answer.text}\n`);
  if (answer.problem !== undefined) streams.stderr.write(`murmur: ${answer.problem}\n`);
  return answer.exitCode ?? 0;
}

const BUGS = new Set(['Error', 'TypeError', 'RangeError', 'ReferenceError', 'SyntaxError']);

/** A failure as `--json` prints it: its name (the contract) and its words. */
export function failureJson(error: unknown): { readonly error: string; readonly message: string } {
  return {
    error: error instanceof Error ? error.name : 'Error',
    message: error instanceof Error ? error.message : String(error),
  };
}

/** Prints a failure (words on stderr; with --json, the named error on stdout too); returns the exit code. */
export function printFailure(streams: Streams, error: unknown, json: boolean): number {
  const { error: name, message } = failureJson(error);
  // A bug (no name of ours) shows its stack, so it can be reported; a named failure is said in words only.
  const bug = BUGS.has(name) && error instanceof Error ? `\n${error.stack}` : '';
  streams.stderr.write(`murmur: ${message}${bug}\n`);
  if (json) streams.stdout.write(`${JSON.stringify({ error: name, message })}\n`);
  return exitCodeOf(name);
}
