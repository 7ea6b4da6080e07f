/**
 * For the vector tests: the name of the ProtocolError `run` throws, or undefined when it throws nothing; any other
 * error is thrown on (a vector must fail by name, never by a crash).
 */
import { ProtocolError } from '../errors.ts';

export function thrownName(run: () => unknown): string | undefined {
  try {
    run();
    return undefined;
  } catch (error) {
    if (!(error instanceof ProtocolError)) throw error;
    return error.name;
  }
}
